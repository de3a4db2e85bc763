/**
 * The decision log: every answered decision, committed before its response is sent to an embedded
 * SQLite file or to a PostgreSQL database that replicas share (with, there, the one active policy
 * set), and read back for the log API, replay and impact analysis.
 */
package dev.gatehouse.server.log;
