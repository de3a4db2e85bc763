package dev.gatehouse.server.log;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Where the server records every decision before answering, and reads them back for the log API
 * and replay.
 *
 * <p>Durability contract: the future of {@link #append} completes normally only once the decision
 * is committed, so a server that answers after that future never answers a decision it could lose.
 */
public interface DecisionLog extends DecisionReader {

  /**
   * Queues a decision for the next group commit.
   *
   * <p>The future completes normally once the row is committed and durable. It fails with a {@link
   * LogUnavailableException} coded {@code log-overloaded} when the queue is full, or coded {@code
   * log-unavailable} when the write failed or the log is closed; with an {@link
   * IllegalArgumentException} when this decision id is already logged.
   *
   * <p>The future is completed by a task run on {@code completion}, refusals included (should the
   * executor fail to take the task, on the thread that gave it instead). The decisions of one
   * group commit that name the same executor are completed by one task: an event loop given here
   * is woken once per commit, not once per decision.
   */
  default CompletableFuture<Void> append(LoggedDecision decision, Executor completion) {
    return append(decision, List.of(), completion);
  }

  /**
   * {@link #append(LoggedDecision, Executor)}, keeping the files of the revisions the decision
   * names: a snapshot the log does not hold yet is written in the same transaction as the decision,
   * so it is as durable as the decision once the future completes; one it holds is not written
   * again.
   */
  CompletableFuture<Void> append(LoggedDecision decision, List<Snapshot> snapshots, Executor completion);

  /**
   * {@link #append(LoggedDecision, Executor)} completed on the log's writer thread, or a refusal on
   * the caller's: follow-up work belongs on another thread (an {@code *Async} stage) rather than on
   * the writer's.
   */
  default CompletableFuture<Void> append(LoggedDecision decision) {
    return append(decision, Runnable::run);
  }

  /**
   * Applies the retention limits now, on the writer thread between group commits, and waits for
   * the sweep to finish; the periodic sweep does the same every {@code retentionInterval}.
   *
   * @return how many decisions the sweep deleted; 0 when no limit is set
   * @throws LogUnavailableException when a delete fails or the log is closed
   */
  long enforceRetention();

  /** Whether the log can write, and how full its queue is. */
  LogHealth health();

  /** The group commits so far. */
  LogCommits commits();

  /** Commits every decision already queued, then releases the store; appends after this fail. */
  @Override
  void close();
}
