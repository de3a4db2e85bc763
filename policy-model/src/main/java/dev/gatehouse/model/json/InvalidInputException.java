package dev.gatehouse.model.json;

/**
 * Input that Gatehouse refuses: malformed JSON or YAML, a wrong type, an unknown field, a missing id
 * or a duplicate ref.
 *
 * <p>The message is one lower-case line in policy terms; {@link #location()} names the place, such as
 * {@code facts.approvals[0].recordedAt}, with the file and line when the input is a file.
 */
public final class InvalidInputException extends Exception {

  private final Location location;

  /** A problem at a JSON path of an input that is no file; empty for the whole document. */
  public InvalidInputException(String path, String message) {
    this(Location.of(path), message);
  }

  /** A problem at {@code location}. */
  public InvalidInputException(Location location, String message) {
    super(message, null, false, false);
    this.location = location;
  }

  /** Where the problem is. */
  public Location location() {
    return location;
  }

  /** The JSON path of the bad value, such as {@code facts.approvals[0].recordedAt}; empty for the document. */
  public String path() {
    return location.path();
  }

  /** The problem as one line: {@code file:line: path: message}, leaving out what is unknown. */
  public String describe() {
    return location.describe(getMessage());
  }
}
