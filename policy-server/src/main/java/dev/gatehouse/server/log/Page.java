package dev.gatehouse.server.log;

import java.util.List;

/**
 * One page of the log, newest first.
 *
 * @param items the decisions of this page
 * @param nextCursor the cursor of the next (older) page, or null when this is the last page
 */
public record Page(List<LoggedDecision> items, String nextCursor) {

  public Page {
    items = List.copyOf(items);
  }
}
