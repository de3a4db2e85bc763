package dev.gatehouse.server.replay;

import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import dev.gatehouse.server.log.DecisionReader;
import dev.gatehouse.server.log.LoggedDecision;
import dev.gatehouse.server.log.Snapshot;

/**
 * What a logged decision was decided with beyond its request, from the log's snapshots: the policy
 * set's files and the workspace. A workspace already at hand with the deciding revision is used as
 * it is rather than rebuilt.
 */
public final class DecidedWith {

  /** The log keeps no snapshot of a revision a decision names: it was logged before snapshots were kept. */
  public static final class SnapshotMissingException extends RuntimeException {
    SnapshotMissingException(String what, String revision) {
      super("the log keeps no snapshot of " + what + " " + revision
          + "; the decision was logged before snapshots were kept");
    }
  }

  private final DecisionReader log;
  // The last workspace rebuilt: a replay of many decisions meets the same revision again and again.
  private Workspace rebuilt;

  /** Snapshots read from {@code log}. */
  public DecidedWith(DecisionReader log) {
    this.log = log;
  }

  /**
   * The rule files of the policy revision that made {@code logged}.
   *
   * @throws SnapshotMissingException when the log does not keep them
   */
  public PolicyFiles policies(LoggedDecision logged) {
    return PolicyFiles.of(snapshot("policy revision", logged.policyRevision()).files());
  }

  /**
   * The workspace {@code logged} was decided with: null when it used none, {@code current} when
   * that has the deciding revision, else the workspace rebuilt from its snapshot.
   *
   * @throws SnapshotMissingException when the log does not keep it
   */
  public synchronized Workspace workspace(LoggedDecision logged, Workspace current) {
    String revision = logged.workspaceRevision();
    if (revision == null) {
      return null;
    }
    if (current != null && current.revision().equals(revision)) {
      return current;
    }
    if (rebuilt == null || !rebuilt.revision().equals(revision)) {
      rebuilt = WorkspaceLoader.rebuild(snapshot("workspace revision", revision).files());
    }
    return rebuilt;
  }

  private Snapshot snapshot(String what, String revision) {
    return log.snapshot(revision).orElseThrow(() -> new SnapshotMissingException(what, revision));
  }
}
