package dev.gatehouse.server.log;

import dev.gatehouse.model.Outcome;
import java.time.Instant;

/**
 * A page request on the log: optional filters, a page size and the cursor of a previous page.
 *
 * @param gate only this gate, or null
 * @param subject only this subject, or null
 * @param outcome only this outcome, or null
 * @param from only decisions logged at or after this time, or null
 * @param to only decisions logged before this time, or null
 * @param limit the page size, from 1 to {@value #MAX_LIMIT}
 * @param cursor the {@link Page#nextCursor()} of the previous page, or null for the newest page
 */
public record Query(
    String gate, String subject, Outcome outcome, Instant from, Instant to, int limit, String cursor) {

  /** The page size when the client names none. */
  public static final int DEFAULT_LIMIT = 50;

  /** The largest page size. */
  public static final int MAX_LIMIT = 500;

  public Query {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    if (from != null && to != null && from.isAfter(to)) {
      throw new IllegalArgumentException("from " + from + " is after to " + to);
    }
  }

  /** The newest {@value #DEFAULT_LIMIT} decisions, unfiltered. */
  public static Query newest() {
    return new Query(null, null, null, null, null, DEFAULT_LIMIT, null);
  }

  /** The same query for the page after {@code cursor}. */
  public Query withCursor(String cursor) {
    return new Query(gate, subject, outcome, from, to, limit, cursor);
  }
}
