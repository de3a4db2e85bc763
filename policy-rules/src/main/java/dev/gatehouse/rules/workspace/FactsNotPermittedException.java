package dev.gatehouse.rules.workspace;

/**
 * A request carries facts of a kind its caller may not supply while a workspace is in use: the
 * request is refused (403 {@code facts-not-permitted}), never decided with them or without them.
 */
public final class FactsNotPermittedException extends Exception {

  private final String path;

  FactsNotPermittedException(String path, String message) {
    super(message, null, false, false);
    this.path = path;
  }

  /** The JSON path of the first fact not permitted, e.g. {@code facts.approvals[0]}. */
  public String path() {
    return path;
  }
}
