package dev.gatehouse.server.config;

import dev.gatehouse.server.log.LogSync;
import java.time.Duration;

/**
 * How the decision log behaves.
 *
 * @param enabled whether decisions are logged (off only to measure what logging costs)
 * @param maxAge decisions older than this are deleted; null keeps them
 * @param maxRows only this many of the newest decisions are kept; null keeps all
 * @param queueCapacity decisions waiting for their commit before new ones are refused; null for the default
 * @param sync when a commit counts as written
 */
public record LogSettings(boolean enabled, Duration maxAge, Long maxRows, Integer queueCapacity, LogSync sync) {

  /** Logging on, nothing deleted, the default queue, {@link LogSync#NORMAL}. */
  public static final LogSettings DEFAULT = new LogSettings(true, null, null, null, LogSync.NORMAL);
}
