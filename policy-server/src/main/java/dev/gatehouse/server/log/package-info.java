/**
 * The decision log: every answered decision, committed to an embedded SQLite file before its
 * response is sent, and read back for the log API, replay and impact analysis.
 */
package dev.gatehouse.server.log;
