package dev.gatehouse.server.log;

import java.util.Optional;
import java.util.function.Consumer;

/** The read side of the decision log: what the log API, replay and impact analysis read. */
public interface DecisionReader extends AutoCloseable {

  /** The logged decision with this id, if any. */
  Optional<LoggedDecision> find(String decisionId);

  /**
   * The files of a policy set or workspace revision that decided something, if the log keeps them
   * (a log from before snapshots were kept has none).
   *
   * @throws IllegalStateException when the stored files do not hash to {@code revision}: they were
   *     altered
   */
  Optional<Snapshot> snapshot(String revision);

  /**
   * One page of the log, newest first.
   *
   * @throws IllegalArgumentException when the query's cursor is not one this log handed out
   */
  Page list(Query query);

  /**
   * Checks the hash chain from the oldest decision to the newest, reading in chunks (see {@link
   * Verification} for what it proves and what it does not).
   */
  Verification verify();

  /** Hands every matching decision to {@code consumer}, oldest first, reading in chunks. */
  void forEach(ReplayQuery query, Consumer<LoggedDecision> consumer);

  /**
   * {@link #forEach} with each decision's links in the hash chain (null for decisions logged before
   * the chain): what an export writes.
   */
  void forEachChained(ReplayQuery query, Consumer<ChainedDecision> consumer);

  /** How many decisions {@link #forEach} would visit now. */
  long count(ReplayQuery query);

  /** Releases the file. */
  @Override
  void close();
}
