/**
 * The decision log: every answered decision, committed to an embedded SQLite file before its
 * response is sent, and read back for the log API, replay and impact analysis.
 *
 * <p>Retention: when {@link dev.gatehouse.server.log.LogOptions} sets a maximum age or a maximum row
 * count, the writer thread sweeps the log every {@code retentionInterval} (and on {@link
 * dev.gatehouse.server.log.SqliteDecisionLog#enforceRetention()}), deleting the oldest rows in
 * batches of {@value dev.gatehouse.server.log.Retention#DELETE_BATCH} between group commits, so a
 * sweep of a large backlog never holds decisions back for longer than one small delete.
 */
package dev.gatehouse.server.log;
