package dev.gatehouse.server.replay;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.DecisionDiff;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.rules.workspace.FactsNotPermittedException;
import dev.gatehouse.server.decide.DecisionService;
import dev.gatehouse.server.log.LoggedDecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * Re-evaluates a logged decision's request. The logged request is the caller's, with its time
 * fixed; workspace facts are merged again from the workspace given, so a replay names the
 * workspace revision it used next to the one the original decision used. A decision made without
 * workspace facts (a request that carried all its facts, {@code eval --log}) is replayed without
 * them too: merging a workspace in would change what was asked, or clash with the request's facts.
 */
public final class Replayer {

  /**
   * A logged decision, its replay and the difference.
   *
   * @param original the decision as logged
   * @param replayed the decision the policy set gives now
   * @param diff what changed
   */
  public record Replay(Decision original, Decision replayed, DecisionDiff diff) {}

  private final RequestReader reader = new RequestReader();

  /**
   * Replays {@code logged} against {@code policySet}, with the facts of {@code workspace} when it
   * is not null and the decision was made with workspace facts.
   *
   * @throws InvalidInputException when the logged request no longer reads or no longer merges
   *     with the workspace (a request fact that the workspace now also holds)
   */
  public Replay replay(LoggedDecision logged, PolicySet policySet, Workspace workspace) throws InvalidInputException {
    DecisionRequest asked = reader.readRequest(logged.requestJson().getBytes(StandardCharsets.UTF_8));
    // The request was accepted when it was decided; replay does not apply today's refusals.
    Workspace facts = logged.workspaceRevision() == null ? null : workspace;
    Decision replayed;
    try {
      replayed = new DecisionService(() -> Optional.of(policySet), () -> facts, Optional.empty(), Clock.systemUTC())
          .evaluate(asked, Caller.replaying(logged.principal() == null ? "anonymous" : logged.principal()));
    } catch (FactsNotPermittedException e) {
      throw new IllegalStateException("a replaying caller may supply every kind", e);
    }
    Decision original = original(logged);
    return new Replay(original, replayed, DecisionDiff.of(original, replayed));
  }

  private static Decision original(LoggedDecision logged) throws InvalidInputException {
    try {
      return Json.mapper().readValue(logged.decisionJson(), Decision.class);
    } catch (IOException e) {
      throw new InvalidInputException("", "logged decision " + logged.decisionId() + " does not read back");
    }
  }
}
