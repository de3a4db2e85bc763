package dev.gatehouse.model.json;

/**
 * Input that Gatehouse refuses: malformed JSON or YAML, a wrong type, an unknown field, a missing id
 * or a duplicate ref.
 *
 * <p>The message is one lower-case line in policy terms; {@link #path()} names the place, such as
 * {@code facts.approvals[0].recordedAt}, or is empty when the whole document is at fault.
 */
public final class InvalidInputException extends Exception {

  private final String path;
  private final int line;

  /** A problem at a JSON path. */
  public InvalidInputException(String path, String message) {
    this(path, message, 0);
  }

  /** A problem at a JSON path and a line of the document (0 when unknown). */
  public InvalidInputException(String path, String message, int line) {
    super(message, null, false, false);
    this.path = path == null ? "" : path;
    this.line = line;
  }

  /** The JSON path of the bad value, such as {@code facts.approvals[0].recordedAt}; empty for the document. */
  public String path() {
    return path;
  }

  /** The line of the document where the problem is, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** The problem as one line: {@code path: message}. */
  public String describe() {
    return path.isEmpty() ? getMessage() : path + ": " + getMessage();
  }
}
