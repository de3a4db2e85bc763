package dev.gatehouse.server.replay;

import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.rules.DecisionDiff;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.server.log.LoggedDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Impact analysis over HTTP: many logged decisions replayed with one policy set (a candidate over
 * the facts each was decided with, or the active set over today's), and the ones that would change.
 * A decision that cannot be replayed is listed with why; it does not stop the others.
 */
public final class Impact {

  /**
   * One decision whose replay differs.
   *
   * @param decisionId the logged decision
   * @param loggedAt when it was logged
   * @param gate its gate
   * @param subject its subject
   * @param outcomeChanged whether the outcome flips
   * @param from the logged outcome
   * @param to the replayed outcome
   * @param reasonsAdded reasons only the replay gives
   * @param reasonsRemoved reasons only the logged decision gave
   * @param checksFlipped checks whose status differs
   */
  public record Change(String decisionId, Instant loggedAt, String gate, String subject, boolean outcomeChanged,
      Outcome from, Outcome to, List<Reason> reasonsAdded, List<Reason> reasonsRemoved,
      List<DecisionDiff.FlippedCheck> checksFlipped) {}

  /** A decision that could not be replayed, and why. */
  public record Failure(String decisionId, String message) {}

  /**
   * What replaying the decisions found.
   *
   * @param mode what they were replayed with
   * @param revision the policy revision they were replayed with
   * @param read how many decisions were read from the log
   * @param replayed how many of them were replayed
   * @param changed how many would change in any way
   * @param outcomesChanged how many of those flip their outcome
   * @param changes each decision that would change, newest first
   * @param errors each decision that could not be replayed
   */
  public record Report(Replayer.Mode mode, String revision, int read, int replayed, int changed, int outcomesChanged,
      List<Change> changes, List<Failure> errors) {}

  private Impact() {}

  /**
   * Replays {@code decisions} in {@code mode} with {@code set}, each with the workspace {@code facts}
   * gives for it.
   *
   * @throws IllegalArgumentException for {@link Replayer.Mode#AS_DECIDED}, whose decisions each need their own set
   */
  public static Report of(Replayer.Mode mode, PolicySet set, List<LoggedDecision> decisions,
      Function<LoggedDecision, Workspace> facts) {
    if (mode == Replayer.Mode.AS_DECIDED) {
      throw new IllegalArgumentException("a replay as decided uses each decision's own revision");
    }
    Replayer replayer = new Replayer();
    List<Change> changes = new ArrayList<>();
    List<Failure> errors = new ArrayList<>();
    for (LoggedDecision logged : decisions) {
      DecisionDiff diff;
      try {
        diff = replayer.replay(mode, logged, set, facts.apply(logged)).diff();
      } catch (InvalidInputException e) {
        errors.add(new Failure(logged.decisionId(), e.describe()));
        continue;
      } catch (DecidedWith.SnapshotMissingException | IllegalStateException e) {
        errors.add(new Failure(logged.decisionId(), e.getMessage()));
        continue;
      }
      if (!diff.unchanged()) {
        changes.add(new Change(logged.decisionId(), logged.loggedAt(), logged.gate(), logged.subject(),
            diff.outcomeChanged(), diff.originalOutcome(), diff.replayedOutcome(), diff.reasonsAdded(),
            diff.reasonsRemoved(), diff.checksFlipped()));
      }
    }
    int flips = (int) changes.stream().filter(Change::outcomeChanged).count();
    return new Report(mode, set.revision(), decisions.size(), decisions.size() - errors.size(), changes.size(), flips,
        List.copyOf(changes), List.copyOf(errors));
  }
}
