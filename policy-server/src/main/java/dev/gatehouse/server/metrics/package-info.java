/** The server's Prometheus metrics: decisions, reloads, the decision log and candidate compiles. */
package dev.gatehouse.server.metrics;
