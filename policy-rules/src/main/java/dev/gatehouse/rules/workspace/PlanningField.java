package dev.gatehouse.rules.workspace;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of an issue section in the seed's format, and the labels people write them with:
 * any case, {@code -} or {@code _} for a space, any spacing, and a few synonyms.
 */
enum PlanningField {
  TYPE("Type", "type", "issue type"),
  STATUS("Status", "status"),
  BLOCKED_BY("Blocked by", "blocked by", "blocked on", "blocker", "blockers", "depends on", "dependencies"),
  VALIDATOR("Validator", "validator"),
  HUMAN_GATE("Human gate", "human gate");

  /**
   * A line that starts with a label of one to three words and a colon, once markup is gone:
   * {@code **Blocked by:** X} and {@code Blocked  by : X} both read as label and value. Emphasis
   * markers that markdown left as text ({@code **Validator:**cmd}, whose closing {@code **} cannot
   * close) still decorate the label. A colon followed by {@code //} is a URL's, not a label's.
   */
  private static final Pattern LABELLED = Pattern.compile(
      "^[*_]{0,3}([A-Za-z][A-Za-z_-]*(?:[ \\t]+[A-Za-z_-]+){0,2})[*_]{0,3}[ \\t]*:(?!//)[*_]{0,3}[ \\t]*(.*)$");

  /**
   * Words that make an unknown label look like a field: {@code Blocks:} or {@code Validation:} was
   * meant as one, and reading past it would lose the field in silence.
   */
  private static final Set<String> FIELD_WORDS = Set.of("type", "types", "status", "statuses", "block", "blocks",
      "blocked", "blocking", "blocker", "blockers", "depend", "depends", "dependency", "dependencies", "validator",
      "validators", "validation", "validate", "validated", "gate", "gates", "human");

  private static final Pattern NONE = Pattern.compile("(?i)none|n/a|-|\u2013|\u2014|none\\s*\\(.*\\)");

  private final String label;
  private final List<String> names;

  PlanningField(String label, String... names) {
    this.label = label;
    this.names = List.of(names);
  }

  /** How the field is named in problems, as the seed writes it. */
  String label() {
    return label;
  }

  /**
   * A line read as a label and the text after its colon.
   *
   * @param label the label as written, without markup
   * @param value the rest of the line, possibly empty
   */
  record Labelled(String label, String value) {

    /** {@code line} as a label and value, if it starts with a label. */
    static Optional<Labelled> of(String line) {
      Matcher m = LABELLED.matcher(line);
      return m.matches() ? Optional.of(new Labelled(m.group(1).strip(), m.group(2).strip())) : Optional.empty();
    }

    /** The field this label names, if it names one. */
    Optional<PlanningField> field() {
      return named(label);
    }

    /**
     * Whether the label names no field but looks like one ({@code Blocks}, {@code Validation},
     * {@code Satus}), so that a problem is reported instead of the line being read as prose.
     */
    boolean resemblesAField() {
      if (field().isPresent()) {
        return false;
      }
      String normal = normal(label);
      return Arrays.stream(normal.split(" ")).anyMatch(FIELD_WORDS::contains)
          || Arrays.stream(values()).flatMap(f -> f.names.stream()).anyMatch(name -> typo(normal, name));
    }
  }

  /** The field {@code label} names, case and spacing aside. */
  static Optional<PlanningField> named(String label) {
    String normal = normal(label);
    return Arrays.stream(values()).filter(f -> f.names.contains(normal)).findFirst();
  }

  /** The labels a field may be written with, for problems. */
  static String labels() {
    return String.join(", ", Arrays.stream(values()).map(f -> f.label).toList());
  }

  /**
   * Whether {@code value} says there is nothing: {@code none}, {@code None.}, {@code -},
   * {@code —}, {@code N/A} or {@code none (a note)}.
   */
  static boolean isNone(String value) {
    return NONE.matcher(withoutPeriod(value)).matches();
  }

  /** {@code value} without a sentence's closing period: {@code `health.sh --json`.} is the command. */
  static String withoutPeriod(String value) {
    String v = value.strip();
    return v.endsWith(".") ? v.substring(0, v.length() - 1).strip() : v;
  }

  private static String normal(String label) {
    return label.toLowerCase(Locale.ROOT).replaceAll("[-_]", " ").replaceAll("\\s+", " ").strip();
  }

  /**
   * One slip of the keyboard from {@code name} (two for longer labels): a letter too many, too
   * few, wrong, or two swapped.
   */
  private static boolean typo(String label, String name) {
    int allowed = label.length() >= 6 ? 2 : 1;
    if (Math.abs(label.length() - name.length()) > allowed) {
      return false;
    }
    int[][] d = new int[label.length() + 1][name.length() + 1];
    for (int i = 0; i <= label.length(); i++) {
      for (int j = 0; j <= name.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = label.charAt(i - 1) == name.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && label.charAt(i - 1) == name.charAt(j - 2) && label.charAt(i - 2) == name.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[label.length()][name.length()] <= allowed;
  }
}
