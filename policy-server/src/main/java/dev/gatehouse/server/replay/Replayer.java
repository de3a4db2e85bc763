package dev.gatehouse.server.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.DecisionDiff;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.rules.workspace.FactsNotPermittedException;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.server.decide.DecisionService;
import dev.gatehouse.server.log.LoggedDecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Re-evaluates a logged decision's request, through the one decision path. The logged request is
 * the caller's, with its time fixed; workspace facts are merged again from the workspace given. A
 * decision made without workspace facts (a request that carried all its facts, {@code eval --log})
 * is replayed without them too: merging a workspace in would change what was asked, or clash with
 * the request's facts. Which policy set and workspace a {@link Mode} decides with is {@link
 * DecidedWith}'s to find.
 */
public final class Replayer {

  /** What a replay decides with, and what it reports. */
  public enum Mode {
    /**
     * The deciding policy revision over the deciding facts, both from the log's snapshots: must
     * give the logged decision again; a difference is a determinism fault, not a change.
     */
    AS_DECIDED,
    /** A candidate policy set over the deciding facts: what the candidate would change. */
    CANDIDATE,
    /** The active policy set over the current workspace: what would be decided now. */
    NOW;

    /** The name in URLs and on the command line: {@code as-decided}, {@code candidate}, {@code now}. */
    @JsonValue
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The mode named {@code name}, or empty. */
    public static Optional<Mode> named(String name) {
      return Arrays.stream(values()).filter(m -> m.jsonName().equals(name)).findFirst();
    }
  }

  /**
   * A logged decision and its replay.
   *
   * @param mode what it was replayed with
   * @param original the decision as logged
   * @param replayed the decision the replay gave
   * @param diff what changed, for {@link Mode#CANDIDATE} and {@link Mode#NOW}; null as decided
   * @param faults for {@link Mode#AS_DECIDED}, every way the replay differs from the log (empty when
   *     it reproduced it); null otherwise
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Replay(Mode mode, Decision original, Decision replayed, DecisionDiff diff, List<String> faults) {}

  private final RequestReader reader = new RequestReader();

  /**
   * Replays {@code logged} in {@code mode} with {@code policySet}, and with the facts of {@code
   * workspace} when it is not null and the decision was made with workspace facts.
   *
   * @throws InvalidInputException when the logged request no longer reads or no longer merges
   *     with the workspace (a request fact that the workspace now also holds)
   */
  public Replay replay(Mode mode, LoggedDecision logged, PolicySet policySet, Workspace workspace)
      throws InvalidInputException {
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
    return mode == Mode.AS_DECIDED
        ? new Replay(mode, original, replayed, null, faults(original, replayed))
        : new Replay(mode, original, replayed, DecisionDiff.of(original, replayed), null);
  }

  /**
   * How a replay as decided differs from the logged decision: its revisions, outcome, reasons,
   * checks and trace must all be the logged ones (ids and durations are not part of a decision's
   * content).
   */
  private static List<String> faults(Decision original, Decision replayed) {
    List<String> faults = new ArrayList<>();
    compare(faults, "policy revision", original.policy().revision(), replayed.policy().revision());
    compare(faults, "workspace revision", original.workspace(), replayed.workspace());
    compare(faults, "outcome", original.outcome(), replayed.outcome());
    compare(faults, "reasons", original.reasons(), replayed.reasons());
    compare(faults, "checks", original.checks(), replayed.checks());
    compare(faults, "trace", original.trace(), replayed.trace());
    return faults;
  }

  private static void compare(List<String> faults, String part, Object logged, Object replayed) {
    if (!Objects.equals(logged, replayed)) {
      faults.add(part + " differs: logged " + json(logged) + ", replayed " + json(replayed));
    }
  }

  private static String json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("decision parts always serialize", e);
    }
  }

  private static Decision original(LoggedDecision logged) throws InvalidInputException {
    try {
      return Json.mapper().readValue(logged.decisionJson(), Decision.class);
    } catch (IOException e) {
      throw new InvalidInputException("", "logged decision " + logged.decisionId() + " does not read back");
    }
  }
}
