/** Watchers that keep the active policy set and workspace in step with their directories. */
package dev.gatehouse.server.watch;
