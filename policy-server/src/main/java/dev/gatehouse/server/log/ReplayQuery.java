package dev.gatehouse.server.log;

import java.time.Instant;

/**
 * Which logged decisions to replay, oldest first.
 *
 * @param gate only this gate, or null for every gate
 * @param since only decisions logged at or after this time, or null for all
 */
public record ReplayQuery(String gate, Instant since) {

  /** Every logged decision. */
  public static ReplayQuery all() {
    return new ReplayQuery(null, null);
  }
}
