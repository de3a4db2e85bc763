package dev.gatehouse.server.log;

import java.sql.SQLException;
import java.util.List;

/**
 * What the writer thread ({@link GroupCommitWriter}) does to one kind of database: it owns the
 * queue, the batching, the futures and the timing; an implementation owns the transactions. Every
 * method is called on the writer thread only.
 */
interface BatchWriter extends AutoCloseable {

  /**
   * One decision of a batch, with the snapshots to write ahead of it: those the writer does not
   * know to be stored. A snapshot already stored (by this writer, or another replica) is left as it
   * is: the same revision is the same files.
   */
  record Entry(LoggedDecision decision, List<Snapshot> snapshots) {}

  /**
   * Writes the batch in one transaction, chained after the log's head in commit order, and commits.
   *
   * @return per entry, in order: null when committed, or why that decision alone was refused (a
   *     decision id already logged: {@link IllegalArgumentException}); refused decisions take no
   *     place in the chain, and the rest of the batch still commits
   * @throws SQLException when the batch as a whole did not commit, or may not have: then no decision
   *     of it may be reported committed
   */
  List<RuntimeException> commit(List<Entry> batch) throws SQLException;

  /**
   * A write transaction that changes nothing a reader sees, to tell whether writes work again after
   * one failed.
   *
   * @param rowBytes the size of the largest row of the batch that failed, as text
   */
  void probe(int rowBytes) throws SQLException;

  /** One step of a retention sweep. */
  void sweep(Retention retention) throws SQLException;

  /**
   * A checkpoint between two group commits (SQLite's WAL, see {@link WalCheckpointer}); nothing
   * where the database has none. Never throws: nothing committed is at risk.
   */
  default void checkpoint(boolean waitForReaders) {}

  /** Releases the connection; called once, after the last batch. */
  @Override
  void close();
}
