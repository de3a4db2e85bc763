package dev.gatehouse.server.policies;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.RuleInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one policy revision differs from another it is compared against: per rule file a unified
 * diff ({@code a/} is the file in {@code against}, {@code b/} the file in {@code revision}), and
 * per rule, matched by name, whether it was added, removed or its text changed. A rule whose text
 * is the same but moved (another line, another file) is not a change. A {@code .dsl} file holds no
 * rules, yet changing it can change what unchanged sentences mean: its diff shows under files only.
 *
 * @param revision the revision compared
 * @param against the revision it is compared against: the "before"
 * @param identical whether the two have the same files (the same revision)
 * @param files each file added, removed or changed, by path
 * @param rules each rule added, removed or changed, by file and line
 * @param problem why rules are not compared: one side's rules are unknown (it no longer compiles); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyDiff(String revision, String against, boolean identical, List<FileChange> files,
    List<RuleChange> rules, String problem) {

  /** Lines of context around each change, as {@code diff -u} and git show. */
  static final int CONTEXT = 3;

  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(,\\d+)? \\+(\\d+)(,\\d+)? @@");

  /** What became of a file or a rule. */
  public enum Change {
    /** Only {@code revision} has it. */
    ADDED,
    /** Only {@code against} has it. */
    REMOVED,
    /** Both have it, with different text. */
    CHANGED;

    /** The name in JSON: {@code added}, {@code removed}, {@code changed}. */
    @JsonValue
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One rule file that differs.
   *
   * @param path its path in the policy directory
   * @param change added, removed or changed
   * @param linesAdded lines only {@code revision}'s file has
   * @param linesRemoved lines only {@code against}'s file has
   * @param diff the unified diff, {@code a/PATH} to {@code b/PATH} ({@code /dev/null} for a side without the file)
   */
  public record FileChange(String path, Change change, int linesAdded, int linesRemoved, String diff) {}

  /**
   * One rule that differs, matched by name.
   *
   * @param name the rule's name
   * @param change added, removed or changed (its text, metadata included, as the author wrote it)
   * @param gates its gates ({@code against}'s for a removed rule)
   * @param code its reason code, or null
   * @param file its file in {@code revision}; null when removed
   * @param line its header's line there; null when removed
   * @param againstFile its file in {@code against}; null when added
   * @param againstLine its header's line there; null when added
   * @param diff for a changed rule, the unified diff of its text, with the lines of the files
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RuleChange(String name, Change change, List<String> gates, String code, String file, Integer line,
      String againstFile, Integer againstLine, String diff) {}

  public PolicyDiff {
    files = List.copyOf(files);
    rules = List.copyOf(rules);
  }

  /** How {@code revision} differs from {@code against}; rules are compared when both sides' rules are known. */
  public static PolicyDiff between(PolicyRevision revision, PolicyRevision against) {
    List<FileChange> files = files(against.files(), revision.files());
    String problem = revision.problem() != null ? revision.problem() : against.problem();
    List<RuleChange> rules = problem == null
        ? rules(against.rules().orElseThrow(() -> new IllegalArgumentException("describe " + against.revision() + " first")),
            revision.rules().orElseThrow(() -> new IllegalArgumentException("describe " + revision.revision() + " first")))
        : List.of();
    return new PolicyDiff(revision.revision(), against.revision(), revision.revision().equals(against.revision()),
        files, rules, problem);
  }

  private static List<FileChange> files(PolicyFiles before, PolicyFiles after) {
    List<FileChange> changes = new ArrayList<>();
    TreeSet<String> paths = new TreeSet<>(before.files().keySet());
    paths.addAll(after.files().keySet());
    for (String path : paths) {
      byte[] old = before.files().get(path);
      byte[] now = after.files().get(path);
      if (old != null && now != null && Arrays.equals(old, now)) {
        continue;
      }
      Change change = old == null ? Change.ADDED : now == null ? Change.REMOVED : Change.CHANGED;
      List<String> oldLines = old == null ? List.of() : lines(new String(old, StandardCharsets.UTF_8));
      List<String> newLines = now == null ? List.of() : lines(new String(now, StandardCharsets.UTF_8));
      Patch<String> patch = DiffUtils.diff(oldLines, newLines);
      int added = 0;
      int removed = 0;
      for (AbstractDelta<String> delta : patch.getDeltas()) {
        added += delta.getTarget().size();
        removed += delta.getSource().size();
      }
      String diff = unified(old == null ? "/dev/null" : "a/" + path, now == null ? "/dev/null" : "b/" + path,
          oldLines, patch, 0, 0);
      changes.add(new FileChange(path, change, added, removed, diff));
    }
    return changes;
  }

  private static List<RuleChange> rules(List<RuleInfo> before, List<RuleInfo> after) {
    Map<String, RuleInfo> old = byName(before);
    Map<String, RuleInfo> now = byName(after);
    List<RuleChange> changes = new ArrayList<>();
    now.forEach((name, rule) -> {
      RuleInfo was = old.get(name);
      if (was == null) {
        changes.add(new RuleChange(name, Change.ADDED, rule.gates(), rule.code(), rule.file(), rule.line(), null, null, null));
      } else if (!Objects.equals(was.source(), rule.source())) {
        String diff = unified("a/" + was.file(), "b/" + rule.file(), lines(was.source()),
            DiffUtils.diff(lines(was.source()), lines(rule.source())), was.line() - 1, rule.line() - 1);
        changes.add(new RuleChange(name, Change.CHANGED, rule.gates(), rule.code(), rule.file(), rule.line(),
            was.file(), was.line(), diff));
      }
    });
    old.forEach((name, rule) -> {
      if (!now.containsKey(name)) {
        changes.add(new RuleChange(name, Change.REMOVED, rule.gates(), rule.code(), null, null, rule.file(), rule.line(), null));
      }
    });
    return changes;
  }

  /** Rules by name, in file and line order; a name given twice (in two packages) keeps its first rule. */
  private static Map<String, RuleInfo> byName(List<RuleInfo> rules) {
    Map<String, RuleInfo> byName = new LinkedHashMap<>();
    rules.forEach(rule -> byName.putIfAbsent(rule.name(), rule));
    return byName;
  }

  /**
   * The lines of {@code text}. A last line without a newline carries git's marker, so that adding
   * or removing only the final newline still shows as a change.
   */
  static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    String last = lines.remove(lines.size() - 1);
    if (!last.isEmpty()) {
      lines.add(last + "\n\\ No newline at end of file");
    }
    return lines;
  }

  /** The unified diff as one text, its hunks' line numbers moved down by the given offsets (for a rule inside its file). */
  private static String unified(String from, String to, List<String> oldLines, Patch<String> patch, int oldOffset,
      int newOffset) {
    StringBuilder text = new StringBuilder();
    for (String line : UnifiedDiffUtils.generateUnifiedDiff(from, to, oldLines, patch, CONTEXT)) {
      Matcher hunk = HUNK.matcher(line);
      if (hunk.find() && (oldOffset != 0 || newOffset != 0)) {
        line = "@@ -" + (Integer.parseInt(hunk.group(1)) + oldOffset) + Objects.toString(hunk.group(2), "")
            + " +" + (Integer.parseInt(hunk.group(3)) + newOffset) + Objects.toString(hunk.group(4), "") + " @@"
            + line.substring(hunk.end());
      }
      text.append(line).append('\n');
    }
    return text.toString();
  }
}
