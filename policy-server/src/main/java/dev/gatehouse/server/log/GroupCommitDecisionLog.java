package dev.gatehouse.server.log;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A decision log that writes through a {@link GroupCommitWriter} and reads through {@link
 * DecisionReads}, whatever the store behind both: what SQLite and PostgreSQL logs have in common.
 * A store with more to release closes it around {@link #close()}.
 */
abstract class GroupCommitDecisionLog implements DecisionLog {

  private final GroupCommitWriter writer;
  private final DecisionReads reads;

  GroupCommitDecisionLog(GroupCommitWriter writer, DecisionReads reads) {
    this.writer = writer;
    this.reads = reads;
  }

  @Override
  public CompletableFuture<Void> append(LoggedDecision decision, List<Snapshot> snapshots, Executor completion) {
    return writer.append(decision, snapshots, completion);
  }

  @Override
  public Optional<LoggedDecision> find(String decisionId) {
    return reads.find(decisionId);
  }

  @Override
  public Optional<Snapshot> snapshot(String revision) {
    return reads.snapshot(revision);
  }

  @Override
  public Page list(Query query) {
    return reads.list(query);
  }

  @Override
  public Verification verify() {
    return reads.verify();
  }

  @Override
  public void forEach(ReplayQuery query, Consumer<LoggedDecision> consumer) {
    reads.forEach(query, consumer);
  }

  @Override
  public void forEachChained(ReplayQuery query, Consumer<ChainedDecision> consumer) {
    reads.forEachChained(query, consumer);
  }

  @Override
  public long count(ReplayQuery query) {
    return reads.count(query);
  }

  @Override
  public long enforceRetention() {
    return writer.enforceRetention();
  }

  @Override
  public LogHealth health() {
    return writer.health();
  }

  @Override
  public LogCommits commits() {
    return writer.commits();
  }

  /** Stops the writer once it has committed what it holds, then closes the reads. */
  @Override
  public void close() {
    writer.close();
    reads.close();
  }
}
