package dev.gatehouse.model.json;

/**
 * Where a problem is: the file, the line and column in it, and the JSON path of the value at fault.
 * Every error Gatehouse reports about its input (a request, a fact file, a policy test, the config, a
 * rule file) is placed with one of these and rendered by {@link #describe}.
 *
 * @param file the file as the user named it, or null for input that is no file (a request body)
 * @param line the line, from 1, or 0 when unknown
 * @param column the column, from 1, or 0 when unknown
 * @param path the JSON path of the value, such as {@code facts.approvals[0].recordedAt}; empty for the
 *     whole document
 */
public record Location(String file, int line, int column, String path) {

  /** The whole of an input that is no file, such as a request body. */
  public static final Location DOCUMENT = new Location(null, 0, 0, "");

  public Location {
    path = path == null ? "" : path;
    line = Math.max(0, line);
    // Invariant: a column is known only on a known line.
    column = line == 0 ? 0 : Math.max(0, column);
  }

  /** The value at JSON {@code path} of an input that is no file. */
  public static Location of(String path) {
    return new Location(null, 0, 0, path);
  }

  /** The whole of {@code file}. */
  public static Location ofFile(String file) {
    return new Location(file, 0, 0, "");
  }

  /** This place at {@code line} and {@code column} of its file (0 when unknown). */
  public Location at(int line, int column) {
    return new Location(file, line, column, path);
  }

  /** The value of field {@code name} of the object here. */
  public Location field(String name) {
    return append(name);
  }

  /** The item at {@code index} of the list here. */
  public Location index(int index) {
    return new Location(file, line, column, path + "[" + index + "]");
  }

  /**
   * The value at {@code inner}, a JSON path within the value here: {@code cases[0].request} and
   * {@code facts.runs[1]} give {@code cases[0].request.facts.runs[1]}.
   */
  public Location append(String inner) {
    if (inner.isEmpty()) {
      return this;
    }
    String joined = path.isEmpty() || inner.startsWith("[") ? path + inner : path + "." + inner;
    return new Location(file, line, column, joined);
  }

  /**
   * The value that holds this one, or this for the whole document. A field name with a dot or a
   * bracket in it reads as two steps here; it only makes a line fall back to an outer value's.
   */
  public Location parent() {
    int step = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return new Location(file, line, column, step < 0 ? "" : path.substring(0, step));
  }

  /**
   * This place, found in a copy of a value at {@code from}, at the original of that value at {@code
   * to}: {@code approvals[0].id} found under {@code approvals[0]} is {@code approvals[3].id} under
   * {@code approvals[3]}. A place outside {@code from} is {@code to} itself.
   */
  public Location moved(Location from, Location to) {
    boolean inside = from.path.isEmpty() || path.equals(from.path)
        || path.startsWith(from.path + ".") || path.startsWith(from.path + "[");
    if (!inside) {
      return to;
    }
    String rest = path.substring(from.path.length());
    return to.append(rest.startsWith(".") ? rest.substring(1) : rest);
  }

  /**
   * The place as a compiler prints it, {@code file:line:col: path}, leaving out what is unknown: a
   * column without a line, a line without a file (no one can go to a line of nothing), and a path
   * for the whole document. Empty when nothing is known.
   */
  public String place() {
    StringBuilder place = new StringBuilder();
    if (file != null) {
      place.append(file);
      if (line > 0) {
        place.append(':').append(line);
        if (column > 0) {
          place.append(':').append(column);
        }
      }
    }
    if (!path.isEmpty()) {
      place.append(place.isEmpty() ? "" : ": ").append(path);
    }
    return place.toString();
  }

  /** {@code message} at this place, one line: {@code file:line:col: path: message}, as {@link #place} says. */
  public String describe(String message) {
    String place = place();
    return place.isEmpty() ? message : place + ": " + message;
  }
}
