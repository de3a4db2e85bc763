package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.json.Location;

/**
 * A request carries facts of a kind its caller may not supply while a workspace is in use: the
 * request is refused (403 {@code facts-not-permitted}), never decided with them or without them.
 */
public final class FactsNotPermittedException extends Exception {

  private final Location location;

  FactsNotPermittedException(Location location, String message) {
    super(message, null, false, false);
    this.location = location;
  }

  /** The JSON path of the first fact not permitted, e.g. {@code facts.approvals[0]}. */
  public String path() {
    return location.path();
  }

  /** The refusal as one line: {@code path: message}. */
  public String describe() {
    return location.describe(getMessage());
  }
}
