/** The one decision path: a request read, merged with the workspace, decided, encoded and logged. */
package dev.gatehouse.server.decide;
