package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.Criterion;
import dev.gatehouse.model.Issue;
import dev.gatehouse.rules.workspace.MarkdownText.Line;
import dev.gatehouse.rules.workspace.PlanningField.Labelled;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;

/**
 * The blocks of one issue, from its heading to the next issue or a heading above it, read into
 * its fields and criteria. Structure decides: only paragraphs, list items, tables and headings
 * hold fields; code, block quotes and HTML never do. Anything that could be read two ways is a
 * problem, and an issue with a problem is not served.
 */
final class IssueSection {

  /** The issue types rules know; see {@link Issue#needsHuman()}. */
  private static final Set<String> TYPES = Set.of("AFK", "HITL");

  /** A status is a word or a few ({@code in progress}), never a sentence. */
  private static final Pattern STATUS = Pattern.compile("[a-z][a-z0-9 _-]{0,39}");

  /** A task-list box at the start of a list item's text. */
  private static final Pattern BOX = Pattern.compile("^\\[([ xX])](?:\\s+(.*))?$");

  /** A box written where markdown does not make it a list item: {@code -[ ] x}, or {@code [x]} alone. */
  private static final Pattern STRAY_BOX = Pattern.compile("^(?:[-*+]|\\d+[.)])?\\s*\\[[ xX]](?:\\s|$)");

  /** A trailing note in parentheses: {@code HITL (JP approves)}. */
  private static final Pattern NOTE = Pattern.compile("\\s*\\([^()]*\\)$");

  private final String path;
  private final Pattern ids;
  private final String id;
  private final String title;
  private final int line;
  private final int level;
  private final Map<PlanningField, Integer> fieldLines = new EnumMap<>(PlanningField.class);
  private final List<Criterion> criteria = new ArrayList<>();
  private final List<WorkspaceProblem> problems = new ArrayList<>();
  private List<String> blockedBy = List.of();
  private String type;
  private String status;
  private String validator;
  private String humanGate;
  /** A field whose label ended its block: its value is the next block. */
  private Value pending;

  /**
   * @param path the file, for problems
   * @param ids what an issue id looks like in this file, for blockers
   * @param id the issue's id
   * @param title the rest of its heading
   * @param line the line of its heading
   * @param level the level of its heading: a heading without an id above it ends the issue
   */
  IssueSection(String path, Pattern ids, String id, String title, int line, int level) {
    this.path = path;
    this.ids = ids;
    this.id = id;
    this.title = title;
    this.line = line;
    this.level = level;
  }

  String id() {
    return id;
  }

  int line() {
    return line;
  }

  int level() {
    return level;
  }

  /** The issue as read; served only when {@link #problems()} is empty. */
  Issue issue() {
    return new Issue(id, title, type, status, blockedBy, criteria, validator, humanGate, path);
  }

  /** What makes the issue unreadable, in the order found; the messages do not name the issue. */
  List<WorkspaceProblem> problems() {
    return problems;
  }

  /** Records a problem of this issue, which makes it unreadable. */
  void problem(int at, String message) {
    problems.add(new WorkspaceProblem(path, at, message));
  }

  /** Reads a block of the section other than a heading. */
  void read(Node block) {
    if (pending != null) {
      Value waiting = pending;
      pending = null;
      if (block instanceof ListBlock list) {
        readValues(waiting, list);
        return;
      }
      if (block instanceof Paragraph paragraph) {
        readLines(MarkdownText.lines(paragraph), waiting);
        return;
      }
      noValue(waiting.field, waiting.line);
    }
    if (block instanceof Paragraph paragraph) {
      readLines(MarkdownText.lines(paragraph), null);
    } else if (block instanceof ListBlock list) {
      readList(list);
    } else if (block instanceof TableBlock table) {
      readTable(table);
    }
    // Code blocks, block quotes, HTML and thematic breaks hold no fields: a person reads them as
    // examples, quotations or markup, so neither does the reader.
  }

  /**
   * Reads a heading inside the section that has no issue id: a field when it is one ({@code ####
   * Status: validated}; {@code #### Blocked by} above its value; field lines underlined with
   * {@code ---}, which markdown makes a heading), else a sub-heading such as {@code ###
   * Acceptance criteria}.
   *
   * @return whether the heading was a field, which never ends the issue
   */
  boolean readHeading(List<Line> lines, int at) {
    end();
    String text = String.join(" ", lines.stream().map(Line::text).toList());
    Optional<Labelled> labelled = lines.isEmpty() ? Optional.empty() : Labelled.of(lines.get(0).text());
    if (labelled.isPresent() && labelled.get().field().isPresent()) {
      readLines(lines, null);
      return true;
    }
    Optional<PlanningField> named = PlanningField.named(text);
    if (named.isPresent()) {
      pending = new Value(named.get(), at, true);
      return true;
    }
    if (labelled.isPresent() && labelled.get().resemblesAField()) {
      unknownLabel(at, labelled.get());
      return true;
    }
    return false;
  }

  /** Ends the section's current block sequence: a field still waiting for its value has none. */
  void end() {
    if (pending != null) {
      noValue(pending.field, pending.line);
      pending = null;
    }
  }

  /** Checks what must hold once every block is read. */
  void close() {
    end();
    if (type == null && !fieldLines.containsKey(PlanningField.TYPE)) {
      // Without a known type an issue could pass as AFK and skip its human approval.
      problem(line, "it has no 'Type:' line: expected AFK or HITL");
    }
  }

  /**
   * Reads lines of one paragraph. A field's value may go on over the lines after its label until
   * the next label (the paragraph reads as one run of text); a label with nothing after it in the
   * paragraph takes the next block as its value.
   *
   * @param open a field waiting for its value from these lines, or null
   */
  private void readLines(List<Line> lines, Value open) {
    for (Line l : lines) {
      Optional<Labelled> labelled = Labelled.of(l.text());
      if (labelled.isPresent()) {
        finish(open);
        open = null;
        Optional<PlanningField> field = labelled.get().field();
        if (field.isPresent()) {
          open = new Value(field.get(), l.number(), false);
          if (!labelled.get().value().isEmpty()) {
            open.parts.add(new Line(l.number(), labelled.get().value()));
          }
        } else if (labelled.get().resemblesAField()) {
          unknownLabel(l.number(), labelled.get());
        }
        // Any other label ('What to build:', 'Acceptance criteria:') starts prose, not a field.
        continue;
      }
      if (strayBox(l)) {
        continue;
      }
      if (open != null) {
        open.parts.add(l);
      }
    }
    if (open != null && open.parts.isEmpty() && !open.waited) {
      pending = new Value(open.field, open.line, true);
    } else {
      finish(open);
    }
  }

  private void finish(Value value) {
    if (value == null) {
      return;
    }
    if (value.parts.isEmpty()) {
      noValue(value.field, value.line);
    } else {
      set(value.field, value.line, value.parts, false);
    }
  }

  /** A list: checkboxes are criteria, an item may be a field, and nested lists are read too. */
  private void readList(ListBlock list) {
    for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
      readItem(item);
    }
  }

  private void readItem(Node item) {
    Node rest = item.getFirstChild();
    if (rest instanceof Paragraph first) {
      List<Line> lines = MarkdownText.lines(first);
      Matcher box = lines.isEmpty() ? null : BOX.matcher(lines.get(0).text());
      if (box != null && box.matches()) {
        criterion(lines, box);
        rest = rest.getNext();
      }
    }
    for (; rest != null; rest = rest.getNext()) {
      read(rest);
    }
    // A field inside an item takes its value from inside the item, not from the next item.
    end();
  }

  /**
   * A checkbox item: its text runs until a labelled line. A line such as {@code Validator: ...}
   * right under the last item continues the item's paragraph in markdown, but its author wrote a
   * field, as the seed does, so it is read as one.
   */
  private void criterion(List<Line> lines, Matcher box) {
    List<String> text = new ArrayList<>();
    if (box.group(2) != null) {
      text.add(box.group(2).strip());
    }
    int end = unlabelled(lines, 1);
    lines.subList(1, end).stream().filter(l -> !strayBox(l)).forEach(l -> text.add(l.text()));
    if (text.isEmpty()) {
      problem(lines.get(0).number(), "a checkbox has no text");
    } else {
      criteria.add(new Criterion(String.join(" ", text), !box.group(1).isBlank()));
    }
    readLines(lines.subList(end, lines.size()), null);
  }

  /**
   * Sets {@code field} from the list under its label: each item's text is a value. As under a
   * checkbox, a labelled line continuing an item starts the next field, and the items after it are
   * an ordinary list again.
   */
  private void readValues(Value field, ListBlock list) {
    List<Line> values = new ArrayList<>();
    for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
      Node first = item.getFirstChild();
      if (!(first instanceof Paragraph paragraph) || first.getNext() != null) {
        problem(MarkdownText.line(item), "an item of the list under '" + field.field.label() + "' is not one line of text");
        continue;
      }
      List<Line> lines = MarkdownText.lines(paragraph);
      int end = unlabelled(lines, 0);
      if (end > 0) {
        values.add(new Line(lines.get(0).number(), joined(lines.subList(0, end))));
      }
      if (end < lines.size()) {
        set(field.field, field.line, values, true);
        readLines(lines.subList(end, lines.size()), null);
        for (Node after = item.getNext(); after != null; after = after.getNext()) {
          readItem(after);
        }
        return;
      }
    }
    set(field.field, field.line, values, true);
  }

  /**
   * Whether {@code line} is a checkbox that markdown does not make a list item ({@code -[ ] x}, or
   * {@code 2. [ ] x} right under a bulleted item, which continues that item): reported, since a
   * person sees a criterion there.
   */
  private boolean strayBox(Line line) {
    if (!STRAY_BOX.matcher(line.text()).find()) {
      return false;
    }
    problem(line.number(), "'" + line.text() + "' is a checkbox outside a list item: start a list item with '- [ ] '"
        + " and leave a blank line before a list of another kind");
    return true;
  }

  /** The index of the first labelled line of {@code lines} from {@code from} on, or their size. */
  private static int unlabelled(List<Line> lines, int from) {
    int end = from;
    while (end < lines.size() && Labelled.of(lines.get(end).text()).isEmpty()) {
      end++;
    }
    return end;
  }

  private static String joined(List<Line> lines) {
    return String.join(" ", lines.stream().map(Line::text).toList()).strip();
  }

  /**
   * A table of fields: two columns of label and value (a header {@code Field | Value} or the first
   * field), or one row under a header of labels. Any other table that names a field is a problem.
   */
  private void readTable(TableBlock table) {
    List<List<Line>> rows = new ArrayList<>();
    collectRows(table, rows);
    if (rows.isEmpty()) {
      return;
    }
    List<Line> header = rows.get(0);
    boolean anyField = rows.stream().flatMap(List::stream).anyMatch(cell -> PlanningField.named(cell.text()).isPresent()
        || Labelled.of(cell.text()).map(l -> l.field().isPresent() || l.resemblesAField()).orElse(false));
    if (!anyField) {
      return;
    }
    boolean columns = header.size() > 1 && header.stream().allMatch(cell -> PlanningField.named(cell.text()).isPresent());
    if (columns && rows.size() == 2) {
      for (int i = 0; i < header.size(); i++) {
        Line value = i < rows.get(1).size() ? rows.get(1).get(i) : new Line(rows.get(1).get(0).number(), "");
        readCell(header.get(i), value);
      }
      return;
    }
    boolean pairs = header.size() == 2 && rows.stream().allMatch(row -> row.size() == 2);
    if (!columns && pairs) {
      boolean titled = PlanningField.named(header.get(0).text()).isEmpty();
      for (List<Line> row : rows.subList(titled ? 1 : 0, rows.size())) {
        readCell(row.get(0), row.get(1));
      }
      return;
    }
    problem(MarkdownText.line(table), "a table names fields but is neither two columns of field and value"
        + " nor one row under a header of fields");
  }

  private void readCell(Line label, Line value) {
    String name = label.text().endsWith(":") ? label.text().substring(0, label.text().length() - 1) : label.text();
    Optional<PlanningField> field = PlanningField.named(name);
    if (field.isPresent()) {
      set(field.get(), label.number(), value.text().isEmpty() ? List.of() : List.of(value), false);
    } else {
      Labelled labelled = new Labelled(name, value.text());
      if (labelled.resemblesAField()) {
        unknownLabel(label.number(), labelled);
      }
    }
  }

  private static void collectRows(Node node, List<List<Line>> rows) {
    for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
      if (child instanceof TableRow row) {
        List<Line> cells = new ArrayList<>();
        for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
          if (cell instanceof TableCell) {
            cells.add(new Line(MarkdownText.line(row), MarkdownText.text(cell)));
          }
        }
        rows.add(cells);
      } else {
        collectRows(child, rows);
      }
    }
  }

  /**
   * Sets a field from the parts of its value: the lines it runs over, or the items of a list
   * ({@code listed}), which for a single-valued field must be one.
   */
  private void set(PlanningField field, int at, List<Line> parts, boolean listed) {
    Integer first = fieldLines.putIfAbsent(field, at);
    if (first != null) {
      problem(at, "'" + field.label() + "' is given twice, first at line " + first);
      return;
    }
    if (parts.stream().allMatch(p -> p.text().isBlank())) {
      noValue(field, at);
      return;
    }
    if (field == PlanningField.BLOCKED_BY) {
      blockedBy = blockers(parts);
      return;
    }
    if (listed && parts.size() > 1) {
      problem(at, "'" + field.label() + "' lists " + parts.size() + " values; it takes one");
      return;
    }
    String value = joined(parts);
    switch (field) {
      case TYPE -> {
        String canonical = withoutNote(PlanningField.withoutPeriod(value)).toUpperCase(Locale.ROOT);
        if (TYPES.contains(canonical)) {
          type = canonical;
        } else {
          problem(at, "type '" + value + "' is not AFK or HITL");
        }
      }
      case STATUS -> {
        String canonical = withoutNote(PlanningField.withoutPeriod(value)).toLowerCase(Locale.ROOT);
        if (STATUS.matcher(canonical).matches()) {
          status = canonical;
        } else {
          problem(at, "status '" + value + "' is not a status such as candidate, ready or validated");
        }
      }
      case VALIDATOR -> validator = PlanningField.isNone(value) ? null : PlanningField.withoutPeriod(value);
      default -> humanGate = PlanningField.isNone(value) ? null : value;
    }
  }

  /** Blocker ids split on commas, semicolons, slashes, {@code &}, {@code and} and spaces. */
  private List<String> blockers(List<Line> parts) {
    if (parts.size() == 1 && PlanningField.isNone(parts.get(0).text())) {
      return List.of();
    }
    Set<String> found = new LinkedHashSet<>();
    for (Line part : parts) {
      List<String> wrong = new ArrayList<>();
      for (String token : part.text().split("[,;/&\\s]+")) {
        String blocker = PlanningField.withoutPeriod(token);
        if (blocker.isEmpty() || blocker.equalsIgnoreCase("and")) {
          continue;
        }
        if (ids.matcher(blocker).matches()) {
          found.add(blocker);
        } else {
          wrong.add("'" + blocker + "'");
        }
      }
      if (!wrong.isEmpty()) {
        problem(part.number(), "blocked by '" + part.text() + "': " + String.join(", ", wrong)
            + (wrong.size() == 1 ? " is not an issue id" : " are not issue ids") + " such as CTO-WORK-049");
      }
    }
    return List.copyOf(found);
  }

  private static String withoutNote(String value) {
    return NOTE.matcher(value).replaceFirst("").strip();
  }

  private void unknownLabel(int at, Labelled labelled) {
    problem(at, "'" + labelled.label() + "' looks like a field but is none: the fields are " + PlanningField.labels());
  }

  private void noValue(PlanningField field, int at) {
    problem(at, "'" + field.label() + "' has no value" + (field == PlanningField.BLOCKED_BY ? ": write none if it has no blockers" : ""));
  }

  /** A field being read: where its label is and the parts of its value so far. */
  private static final class Value {
    final PlanningField field;
    final int line;
    /** Whether its label ended a block, so the value had to come from the next one. */
    final boolean waited;
    final List<Line> parts = new ArrayList<>();

    Value(PlanningField field, int line, boolean waited) {
      this.field = field;
      this.line = line;
      this.waited = waited;
    }
  }
}
