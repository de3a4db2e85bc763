/** The thin outer layer: the command line, the HTTP API and the decision log, over the engine. */
package dev.gatehouse.server;
