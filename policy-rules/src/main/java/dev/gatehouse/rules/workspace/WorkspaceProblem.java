package dev.gatehouse.rules.workspace;

/**
 * A problem found while loading a workspace file: what is wrong and where.
 *
 * @param file the workspace-relative path of the file, with {@code /} separators
 * @param line the 1-based line of the problem, or 0 when it concerns the file as a whole
 * @param message one lower-case line in policy terms, naming the JSON path or issue at fault
 */
public record WorkspaceProblem(String file, int line, String message) {

  /** The problem as one line: {@code file:line: message}, or {@code file: message} without a line. */
  public String describe() {
    return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
  }
}
