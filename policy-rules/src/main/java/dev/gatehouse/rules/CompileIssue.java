package dev.gatehouse.rules;

import dev.gatehouse.model.json.Location;
import java.util.Comparator;

/**
 * A problem found while compiling a policy set, located in a rule file.
 *
 * @param file the rule file, relative to the policy directory (empty when no file is to blame)
 * @param line the line, from 1 (0 when unknown)
 * @param column the column, from 1 (0 when unknown)
 * @param severity error or warning
 * @param message what is wrong, one line
 */
public record CompileIssue(String file, int line, int column, Severity severity, String message)
    implements Comparable<CompileIssue> {

  /** Errors keep a set from being activated; warnings do not. */
  public enum Severity {
    ERROR,
    WARNING;

    /** The lower-case name used in JSON and on the command line. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final Comparator<CompileIssue> ORDER =
      Comparator.comparing(CompileIssue::file)
          .thenComparingInt(CompileIssue::line)
          .thenComparingInt(CompileIssue::column)
          .thenComparing(CompileIssue::severity)
          .thenComparing(CompileIssue::message);

  @Override
  public int compareTo(CompileIssue other) {
    return ORDER.compare(this, other);
  }

  /**
   * The issue as a compiler would print it: {@code file:line:col: message}, warnings marked; an
   * unknown column or line is left out, as GCC does, rather than printed as a position 0.
   */
  public String describe() {
    Location where = new Location(file.isEmpty() ? "<policies>" : file, line, column, "");
    return where.describe(severity == Severity.WARNING ? "warning: " + message : message);
  }
}
