/** The server's composition root, the policy directory watcher and the metrics they share. */
package dev.gatehouse.server;
