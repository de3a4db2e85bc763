/**
 * The thin outer layer over the engine (the command line, the HTTP API, the decision log), with the
 * server's composition root, its policy directory watcher and its metrics.
 */
package dev.gatehouse.server;
