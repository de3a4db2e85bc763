package dev.gatehouse.rules.workspace;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DatabindException;
import dev.gatehouse.model.Doubt;
import dev.gatehouse.model.Issue;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * Reads planning markdown in the seed's format as a CommonMark document: optional lines before a
 * YAML front matter block, then issues, each starting at a heading of any level whose text begins
 * with an issue id ({@code ### CTO-WORK-049 - Title}), with {@code Type:}, {@code Status:},
 * {@code Blocked by:}, {@code Validator:} and {@code Human gate:} fields and {@code - [x]} / {@code
 * - [ ]} criteria (see {@link IssueSection} for how they may be written).
 *
 * <p>It reads what a person reads or says it could not: an issue with any doubt about what it says
 * (a field given twice, a label that looks like a field, a blocker that is no id, an unclosed front
 * matter) is not served; an {@code issue-unreadable} doubt naming the problems stands in for it, and
 * every problem is reported with its line. The other issues still load.
 */
public final class PlanningMarkdown {

  /** What an issue id looks like unless the front matter says otherwise: {@code CTO-WORK-049}, {@code GH-7}. */
  public static final String DEFAULT_ID_PATTERN = "[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\\d+";

  /** The front matter key that sets a file's issue id pattern (a Java regular expression). */
  public static final String ID_PATTERN_KEY = "issue_id_pattern";

  // Invariant: a Parser is immutable and thread-safe once built, so workspace loads share it.
  private static final Parser MARKDOWN = Parser.builder()
      .extensions(List.of(TablesExtension.create()))
      .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES)
      .build();

  private static final Pattern LINE_BREAK = Pattern.compile("\\r\\n|\\r|\\n");
  private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}(?:\\s.*)?$");
  private static final String FENCE = "---";

  /** A heading that starts like an issue's but has no id: {@code ### - Title}. */
  private static final Pattern NO_ID = Pattern.compile("^[-\u2013\u2014:|]+(?:\\s|$)");

  /** A first word that looks like an id but is not one: {@code cto-work-049}, {@code CTO_WORK_49a}. */
  private static final Pattern ID_LIKE =
      Pattern.compile("^[\\[(*_`]*([A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*[-_]\\d+[A-Za-z0-9_-]*)");

  private final String path;
  private final List<WorkspaceProblem> problems = new ArrayList<>();
  /** Problems of the whole file that make every issue in it unreadable. */
  private final List<WorkspaceProblem> fileWide = new ArrayList<>();
  private final Map<String, Object> frontMatter = new LinkedHashMap<>();
  private final List<IssueSection> sections = new ArrayList<>();
  private Pattern ids = Pattern.compile(DEFAULT_ID_PATTERN);
  private IssueSection section;
  private boolean planning;

  private PlanningMarkdown(String path) {
    this.path = path;
  }

  /** Parses {@code text}, the content of the file at workspace-relative {@code path}; never throws. */
  public static PlanningDocument parse(String path, String text) {
    PlanningMarkdown reader = new PlanningMarkdown(path);
    reader.read(text);
    return reader.document();
  }

  /**
   * Whether {@code text} is planning markdown at all: it has front matter or a heading that starts
   * like an issue's. Any other markdown, such as a README, is not part of the workspace.
   */
  public static boolean isPlanning(String text) {
    return parse("", text).planning();
  }

  private void read(String text) {
    // A byte order mark and CRLF line ends are encoding, not content.
    String[] lines = LINE_BREAK.split(text.startsWith("\uFEFF") ? text.substring(1) : text, -1);
    int open = frontMatterStart(lines);
    if (open >= 0) {
      planning = true;
      int close = open + 1;
      while (close < lines.length && !lines[close].strip().equals(FENCE)) {
        close++;
      }
      if (close == lines.length) {
        fileWide.add(new WorkspaceProblem(path, open + 1,
            "front matter is not closed: expected a line '---'; every issue of this file is unreadable"));
        lines[open] = "";
      } else {
        readFrontMatter(Arrays.asList(lines).subList(open + 1, close), open + 1);
        // Blank, not removed, so the markdown parser counts the file's own lines.
        Arrays.fill(lines, open, close + 1, "");
      }
    }
    Node document = MARKDOWN.parse(String.join("\n", lines));
    for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
      if (block instanceof Heading heading) {
        heading(heading);
      } else if (section != null) {
        section.read(block);
      }
    }
    closeSection();
  }

  /** The index of the opening {@code ---} of the front matter, if it comes before any heading. */
  private static int frontMatterStart(String[] lines) {
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].strip().equals(FENCE)) {
        return i;
      }
      if (ATX_HEADING.matcher(lines[i]).matches()) {
        return -1;
      }
    }
    return -1;
  }

  private void readFrontMatter(List<String> yaml, int from) {
    if (String.join("", yaml).isBlank()) {
      return;
    }
    try {
      Map<String, Object> map = Json.yaml().readValue(String.join("\n", yaml),
          new TypeReference<LinkedHashMap<String, Object>>() {});
      if (map != null) {
        frontMatter.putAll(map);
      }
    } catch (DatabindException e) {
      fileWide.add(new WorkspaceProblem(path, from,
          "front matter is not a yaml mapping of names to values; every issue of this file is unreadable"));
      return;
    } catch (JacksonException e) {
      // Jackson counts lines of the YAML block alone; the block starts after the opening fence.
      InvalidInputException malformed = Json.invalidInput(path, e);
      int line = malformed.location().line();
      fileWide.add(new WorkspaceProblem(path, line > 0 ? from + line : from,
          "front matter is not readable yaml: " + malformed.getMessage() + "; every issue of this file is unreadable"));
      return;
    }
    Object pattern = frontMatter.get(ID_PATTERN_KEY);
    if (pattern == null) {
      return;
    }
    try {
      ids = Pattern.compile(pattern.toString());
    } catch (PatternSyntaxException e) {
      fileWide.add(new WorkspaceProblem(path, from, ID_PATTERN_KEY + " '" + pattern
          + "' is not a regular expression; every issue of this file is unreadable"));
    }
  }

  /**
   * A heading: an issue's when its text starts with an id; else, inside an issue, a field or a
   * sub-heading, unless it is above the issue's heading, which ends the issue. A heading that
   * starts like an issue's but whose id cannot be read is a problem, never a silent sub-heading.
   */
  private void heading(Heading heading) {
    String text = MarkdownText.text(heading);
    int line = MarkdownText.line(heading);
    Matcher id = ids.matcher(text);
    if (id.lookingAt() && id.end() > 0 && (id.end() == text.length() || !isIdChar(text.charAt(id.end())))) {
      closeSection();
      planning = true;
      String title = text.substring(id.end()).replaceFirst("^[\\s\\-\u2013\u2014:.|)\\]]+", "").strip();
      section = new IssueSection(path, ids, id.group(), title, line, heading.getLevel());
      return;
    }
    if (section != null && section.readHeading(MarkdownText.lines(heading), line)) {
      return;
    }
    Optional<String> misread = misreadIssue(text);
    if (misread.isPresent()) {
      planning = true;
      if (section != null && heading.getLevel() > section.level()) {
        section.problem(line, misread.get());
      } else {
        closeSection();
        problems.add(new WorkspaceProblem(path, line, misread.get()));
      }
      return;
    }
    if (section != null && heading.getLevel() < section.level()) {
      closeSection();
    }
  }

  /** Why a heading without a readable id still looks like an issue's, if it does. */
  private Optional<String> misreadIssue(String text) {
    if (NO_ID.matcher(text).find()) {
      return Optional.of("heading '" + text + "' looks like an issue but has no id: expected 'ID - Title'"
          + " such as 'CTO-WORK-049 - Title'");
    }
    Matcher named = Pattern.compile("(?<![A-Za-z0-9_-])(?:" + ids.pattern() + ")(?![A-Za-z0-9_-])").matcher(text);
    if (named.find()) {
      return Optional.of("heading '" + text + "' names issue " + named.group()
          + " but does not start with it: an issue's heading starts with its id");
    }
    Matcher like = ID_LIKE.matcher(text);
    if (like.find()) {
      return Optional.of("heading '" + text + "' starts with '" + like.group(1) + "', which is not an issue id"
          + " such as CTO-WORK-049 (" + ID_PATTERN_KEY + ": " + ids.pattern() + ")");
    }
    return Optional.empty();
  }

  private static boolean isIdChar(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '_';
  }

  private void closeSection() {
    if (section != null) {
      section.close();
      sections.add(section);
      section = null;
    }
  }

  /**
   * The document: an issue for each id read without a problem, a doubt for each other id (also
   * for an id whose heading is there twice: neither is guessed at), and every problem by line.
   */
  private PlanningDocument document() {
    Map<String, List<IssueSection>> byId = new LinkedHashMap<>();
    sections.forEach(s -> byId.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s));
    List<Issue> issues = new ArrayList<>();
    List<Doubt> doubts = new ArrayList<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    problems.addAll(fileWide);
    for (Map.Entry<String, List<IssueSection>> entry : byId.entrySet()) {
      String id = entry.getKey();
      List<IssueSection> same = entry.getValue();
      lines.put(id, same.get(0).line());
      if (same.size() > 1) {
        for (IssueSection s : same) {
          s.problem(s.line(), "its heading is also at line " + String.join(", ", same.stream()
              .filter(other -> other != s).map(other -> String.valueOf(other.line())).toList()));
        }
      }
      List<WorkspaceProblem> reasons = new ArrayList<>(fileWide);
      for (IssueSection s : same) {
        for (WorkspaceProblem p : s.problems()) {
          reasons.add(p);
          problems.add(new WorkspaceProblem(p.file(), p.line(), "issue " + id + " is unreadable: " + p.message()));
        }
      }
      if (reasons.isEmpty()) {
        issues.add(same.get(0).issue());
      } else {
        doubts.add(new Doubt("issue:" + id, id, Doubt.UNREADABLE, "issue " + id + " is unreadable: "
            + String.join("; ", reasons.stream().map(WorkspaceProblem::describe).toList()), path));
      }
    }
    problems.sort(Comparator.comparingInt(WorkspaceProblem::line));
    return new PlanningDocument(path, frontMatter, issues, doubts, lines, problems, planning);
  }
}
