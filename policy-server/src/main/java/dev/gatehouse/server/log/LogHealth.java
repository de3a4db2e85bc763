package dev.gatehouse.server.log;

/**
 * Whether the decision log can take decisions and keep its retention, for readiness and metrics.
 *
 * @param closed whether the log has been closed
 * @param writeFailure why the last write failed, until a later write or probe succeeds; else null
 * @param sweepFailure why the last retention sweep failed, until a later sweep succeeds; else null
 * @param queueDepth decisions waiting for or inside a group commit
 * @param queueCapacity the depth at which appends are refused with {@code log-overloaded}
 */
public record LogHealth(boolean closed, String writeFailure, String sweepFailure, int queueDepth, int queueCapacity) {

  /** Whether the log is ready: open, and neither a write nor a sweep is failing. */
  public boolean ready() {
    return reason() == null;
  }

  /** Why the log is not ready, or null when it is. */
  public String reason() {
    if (closed) {
      return "decision log is closed";
    }
    if (writeFailure != null && sweepFailure != null) {
      return writeFailure + "; " + sweepFailure;
    }
    return writeFailure != null ? writeFailure : sweepFailure;
  }
}
