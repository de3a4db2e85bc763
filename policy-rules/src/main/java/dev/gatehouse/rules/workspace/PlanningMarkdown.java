package dev.gatehouse.rules.workspace;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DatabindException;
import dev.gatehouse.model.Criterion;
import dev.gatehouse.model.Issue;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.Location;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads planning markdown in the seed's format: optional lines before a YAML front matter block,
 * then {@code ### ID - Title} issue sections with {@code Type:}, {@code Status:}, {@code Blocked by:},
 * {@code - [x]} / {@code - [ ]} criteria, {@code Validator:} and {@code Human gate:} lines.
 *
 * <p>Other lines are ignored, a {@code #} or {@code ##} heading ends the current issue, and a
 * problem in one section is reported without stopping the others from loading.
 */
public final class PlanningMarkdown {

  /** The issue types rules know; see {@link Issue#needsHuman()}. */
  private static final Set<String> TYPES = Set.of("AFK", "HITL");

  private static final Pattern HEADING = Pattern.compile("^(#{1,3})(?:\\s+(.*?))?\\s*$");
  private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+");
  private static final Pattern FIELD =
      Pattern.compile("^(Type|Status|Blocked by|Validator|Human gate):\\s*(.*?)\\s*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern CRITERION = Pattern.compile("^\\s*[-*+]\\s+\\[([ xX])]\\s*(.*?)\\s*$");
  private static final String FENCE = "---";

  private final String path;
  private final String[] lines;
  private final Map<String, Object> frontMatter = new LinkedHashMap<>();
  private final List<Issue> issues = new ArrayList<>();
  private final Map<String, Integer> issueLines = new LinkedHashMap<>();
  private final List<WorkspaceProblem> problems = new ArrayList<>();

  private PlanningMarkdown(String path, String text) {
    this.path = path;
    this.lines = text.split("\\r?\\n", -1);
  }

  /** Parses {@code text}, the content of the file at workspace-relative {@code path}; never throws. */
  public static PlanningDocument parse(String path, String text) {
    PlanningMarkdown parser = new PlanningMarkdown(path, text);
    parser.parse();
    return new PlanningDocument(path, parser.frontMatter, parser.issues, parser.issueLines, parser.problems);
  }

  /**
   * Whether {@code text} is planning markdown at all: it has front matter or a {@code ###} section.
   * Any other markdown, such as a README, is not part of the workspace.
   */
  public static boolean isPlanning(String text) {
    String[] lines = text.split("\\r?\\n", -1);
    return frontMatterStart(lines) >= 0 || Arrays.stream(lines).anyMatch(l -> level(l) == 3);
  }

  private void parse() {
    int first = 0;
    int open = frontMatterStart(lines);
    if (open >= 0) {
      int close = open + 1;
      while (close < lines.length && !lines[close].strip().equals(FENCE)) {
        close++;
      }
      if (close == lines.length) {
        problem(open + 1, "front matter is not closed: expected a line '---'");
        first = open + 1;
      } else {
        readFrontMatter(open + 1, close);
        first = close + 1;
      }
    }
    Section section = null;
    for (int i = first; i < lines.length; i++) {
      int level = level(lines[i]);
      if (level > 0) {
        close(section);
        section = level == 3 ? open(i + 1, headingText(lines[i])) : null;
      } else if (section != null) {
        section.read(i + 1, lines[i]);
      }
    }
    close(section);
  }

  /** The index of the opening {@code ---} of the front matter, if it comes before any heading. */
  private static int frontMatterStart(String[] lines) {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].strip().equals(FENCE)) {
        return i;
      }
      if (level(lines[i]) > 0) {
        return -1;
      }
    }
    return -1;
  }

  /** The level of a {@code #}, {@code ##} or {@code ###} heading, or 0 for any other line. */
  private static int level(String line) {
    Matcher m = HEADING.matcher(line);
    return m.matches() ? m.group(1).length() : 0;
  }

  private static String headingText(String line) {
    Matcher m = HEADING.matcher(line);
    return m.matches() && m.group(2) != null ? m.group(2) : "";
  }

  private void readFrontMatter(int from, int to) {
    String yaml = String.join("\n", Arrays.asList(lines).subList(from, to));
    if (yaml.isBlank()) {
      return;
    }
    try {
      Map<String, Object> map = Json.yaml().readValue(yaml, new TypeReference<LinkedHashMap<String, Object>>() {});
      if (map != null) {
        frontMatter.putAll(map);
      }
    } catch (DatabindException e) {
      problem(from, "front matter is not a yaml mapping of names to values");
    } catch (JacksonException e) {
      // Jackson counts lines of the YAML block alone; the block starts after the opening fence.
      InvalidInputException malformed = Json.invalidInput(path, e);
      int line = malformed.location().line();
      problem(line > 0 ? from + line : from, "front matter is not readable yaml: " + malformed.getMessage());
    }
  }

  private Section open(int line, String heading) {
    int dash = heading.indexOf(" - ");
    String id = (dash < 0 ? heading : heading.substring(0, dash)).strip();
    String title = dash < 0 ? "" : heading.substring(dash + 3).strip();
    if (!ID.matcher(id).matches()) {
      problem(line, "issue heading '### " + heading + "' has no id: expected '### ID - Title' such as '### CTO-WORK-049 - Title'");
      return null;
    }
    return new Section(line, id, title);
  }

  private void close(Section section) {
    if (section == null) {
      return;
    }
    // Without a known type an issue could pass as AFK and skip its human approval, so it is dropped.
    if (section.type == null) {
      problem(section.line, "issue " + section.id + " has no 'Type:' line: expected AFK or HITL; the issue is not loaded");
      return;
    }
    String type = section.type.toUpperCase(Locale.ROOT);
    if (!TYPES.contains(type)) {
      problem(section.typeLine, "issue " + section.id + " has unknown type '" + section.type
          + "': expected AFK or HITL; the issue is not loaded");
      return;
    }
    Integer earlier = issueLines.putIfAbsent(section.id, section.line);
    if (earlier != null) {
      problem(section.line, "duplicate issue id " + section.id + ", first at line " + earlier + "; this one is not loaded");
      return;
    }
    issues.add(new Issue(section.id, section.title, type, section.status, section.blockedBy, section.criteria,
        section.validator, section.humanGate, path));
  }

  private void problem(int line, String message) {
    problems.add(new WorkspaceProblem(Location.ofFile(path).at(line, 0), message));
  }

  /** The lines of one issue section as they are read. */
  private static final class Section {
    private final int line;
    private final String id;
    private final String title;
    private final List<Criterion> criteria = new ArrayList<>();
    private List<String> blockedBy = List.of();
    private String type;
    private int typeLine;
    private String status;
    private String validator;
    private String humanGate;

    Section(int line, String id, String title) {
      this.line = line;
      this.id = id;
      this.title = title;
    }

    void read(int number, String text) {
      Matcher criterion = CRITERION.matcher(text);
      if (criterion.matches()) {
        criteria.add(new Criterion(criterion.group(2), !criterion.group(1).isBlank()));
        return;
      }
      Matcher field = FIELD.matcher(text);
      if (!field.matches()) {
        return;
      }
      String value = field.group(2);
      switch (field.group(1).toLowerCase(Locale.ROOT)) {
        case "type" -> {
          type = blankToNull(withoutPeriod(value));
          typeLine = number;
        }
        case "status" -> status = blankToNull(withoutPeriod(value));
        case "blocked by" -> blockedBy = ids(value);
        // The period ends the sentence around a command (`health.sh --json`.), not the command.
        case "validator" -> validator = blankToNull(withoutPeriod(value).replace("`", "").strip());
        default -> humanGate = blankToNull(value);
      }
    }

    private static List<String> ids(String value) {
      List<String> ids = Arrays.stream(value.split(","))
          .map(id -> withoutPeriod(id.replace("`", "").strip()))
          .filter(id -> !id.isEmpty())
          .toList();
      return ids.size() == 1 && ids.get(0).equalsIgnoreCase("none") ? List.of() : ids;
    }

    private static String withoutPeriod(String value) {
      String v = value.strip();
      return v.endsWith(".") ? v.substring(0, v.length() - 1).strip() : v;
    }

    private static String blankToNull(String value) {
      return value.isBlank() ? null : value;
    }
  }
}
