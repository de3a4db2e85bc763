/**
 * The server's composition root: it builds the engine, the watchers, the log and the HTTP API and
 * wires them together. Only this package (and the command line) may see all the others.
 */
package dev.gatehouse.server;
