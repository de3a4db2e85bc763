package dev.gatehouse.server.config;

import java.time.Duration;

/**
 * How the decision log behaves.
 *
 * @param enabled whether decisions are logged (off only to measure what logging costs)
 * @param maxAge decisions older than this are deleted; null keeps them
 * @param maxRows only this many of the newest decisions are kept; null keeps all
 * @param queueCapacity decisions waiting for their commit before new ones are refused; null for the default
 */
public record LogSettings(boolean enabled, Duration maxAge, Long maxRows, Integer queueCapacity) {

  /** Logging on, nothing deleted, the default queue. */
  public static final LogSettings DEFAULT = new LogSettings(true, null, null, null);
}
