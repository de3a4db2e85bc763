package dev.gatehouse.rules;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decision ids: UUID version 7 (RFC 9562), so ids sort by creation time in the log. Random bits
 * come from {@link ThreadLocalRandom}: ids must be unique, not secret, and SecureRandom would be a
 * shared lock on the decision path.
 */
public final class DecisionIds {

  private DecisionIds() {}

  /** A new time-ordered decision id. */
  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long millis = System.currentTimeMillis();
    long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
