package dev.gatehouse.rules.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Doubt;
import dev.gatehouse.model.Issue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seed written in random ways people write it (label decoration, spacing, synonyms, bullets,
 * values as a list underneath, list markers, heading levels, blank lines, field order, CRLF, a
 * byte order mark) reads as the seed, to the letter; with a harmful change too (a field twice, a
 * label that is no field, a lost type, a broken checkbox) the reader reports a problem, and any
 * issue it still serves is the seed's own: never fewer blockers or criteria in silence.
 */
class PlanningPerturbationTest {

  private static final Pattern HEADING = Pattern.compile("^### (CTO-WORK-\\d+) - (.*)$");
  private static final Pattern FIELD = Pattern.compile("^(Type|Status|Blocked by|Validator|Human gate): (.*)$");
  private static final Pattern BOX = Pattern.compile("^- (\\[[ x]] .*)$");
  private static final int RUNS = 300;

  @Test
  void perturbedSeedsReadAsTheSeedOrReportAProblem() throws IOException {
    String seed = Files.readString(PlanningMarkdownTest.examples().resolve(PlanningMarkdownTest.SEED), StandardCharsets.UTF_8);
    Map<String, Issue> expected = byId(PlanningMarkdown.parse("seed.md", seed).issues(), Issue::id);
    Random random = new Random(20260601L);
    for (int run = 0; run < RUNS; run++) {
      boolean harmful = random.nextInt(3) == 0;
      String variant = perturb(seed, random, harmful);
      PlanningDocument doc = PlanningMarkdown.parse("seed.md", variant);
      String as = "run " + run + (harmful ? " (harmful)" : "") + ":\n" + variant;

      for (Issue issue : doc.issues()) {
        assertThat(issue).as(as).isEqualTo(expected.get(issue.id()));
      }
      if (harmful) {
        assertThat(doc.problems()).as(as).isNotEmpty();
      } else {
        assertThat(doc.problems()).as(as).isEmpty();
        assertThat(doc.issues()).as(as).hasSameSizeAs(expected.values());
      }
      // Whatever the reader did not serve, it stands in a doubt for, unless its heading was lost.
      List<String> accounted = Stream.concat(doc.issues().stream().map(Issue::id), doc.doubts().stream().map(Doubt::issue)).toList();
      assertThat(accounted).as(as).doesNotHaveDuplicates();
      if (accounted.size() < expected.size()) {
        assertThat(doc.problems()).as(as).anyMatch(p -> p.message().startsWith("heading "));
      }
    }
  }

  private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
    return items.stream().collect(Collectors.toMap(id, t -> t));
  }

  /** The seed written another way; with {@code harmful}, one change that must be reported. */
  private static String perturb(String seed, Random random, boolean harmful) {
    List<String> lines = new ArrayList<>(List.of(seed.split("\n", -1)));
    String listMarker = "-";
    int number = 0;
    boolean shuffled = false;
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher heading = HEADING.matcher(line);
      Matcher field = FIELD.matcher(line);
      Matcher box = BOX.matcher(line);
      if (heading.matches()) {
        out.add("#".repeat(2 + random.nextInt(3)) + " " + heading.group(1) + pick(random, " - ", ": ", " \u2014 ", " ")
            + heading.group(2));
        listMarker = pick(random, "-", "*", "+", "1.");
        number = 0;
        shuffled = false;
      } else if (field.matches() && field.group(1).equals("Type") && !shuffled && random.nextBoolean()) {
        // The three fields after the heading in another order.
        List<String> block = new ArrayList<>(lines.subList(i, i + 3));
        Collections.shuffle(block, random);
        lines.subList(i, i + 3).clear();
        lines.addAll(i, block);
        shuffled = true;
        i--;
        continue;
      } else if (field.matches()) {
        out.addAll(field(field.group(1), field.group(2), random));
      } else if (box.matches()) {
        out.add((listMarker.equals("1.") ? (++number) + "." : listMarker) + " " + box.group(1));
      } else {
        out.add(line);
      }
    }
    if (harmful) {
      harm(out, random);
    }
    String text = String.join("\n", out);
    if (random.nextBoolean()) {
      text = text.replace("\n", "\r\n");
    }
    return random.nextInt(4) == 0 ? "\uFEFF" + text : text;
  }

  /** A field line written another way, maybe over several lines. */
  private static List<String> field(String label, String value, Random random) {
    String written = label.equals("Blocked by") ? pick(random, label, "Depends on", "Blockers", "blocked  by") : label;
    written = pick(random, written, written.toLowerCase(java.util.Locale.ROOT), written.toUpperCase(java.util.Locale.ROOT));
    String prefix = random.nextInt(4) == 0 ? "- " : "";
    String blank = random.nextInt(5) == 0 ? "\n" : "";
    if (label.equals("Blocked by") && random.nextInt(3) == 0) {
      // After a bulleted field the label would continue that item, and its list would be the
      // item's siblings rather than under it: a case the reader reports, so not a harmless one.
      return prefix.isEmpty()
          ? List.of("\n" + written + ":", "- " + value)
          : List.of(blank + prefix + written + ":", "  - " + value);
    }
    String labelled = switch (random.nextInt(6)) {
      case 0 -> "**" + written + ":**";
      case 1 -> "**" + written + "**:";
      case 2 -> "__" + written + ":__";
      case 3 -> written + " :";
      default -> written + ":";
    };
    return List.of(blank + prefix + labelled + pick(random, " ", "  ", "") + value);
  }

  /** One change a reader must not pass over in silence. */
  private static void harm(List<String> lines, Random random) {
    Pattern label = Pattern.compile("(?i)^\n?(?:- )?(?:\\*\\*|__)?(type|status|blocked  ?by|depends on|blockers|validator|human gate)\\b");
    List<Integer> fields = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    List<Integer> boxes = new ArrayList<>();
    // Below the front matter, whose keys (status: draft) are no fields.
    for (int i = lines.indexOf("# CTO First Real Governed Workflow Issues"); i < lines.size(); i++) {
      Matcher m = label.matcher(lines.get(i));
      if (m.find()) {
        fields.add(i);
        if (m.group(1).equalsIgnoreCase("type")) {
          types.add(i);
        }
      }
      if (lines.get(i).matches("^(?:[-*+]|\\d+\\.) \\[[ x]].*")) {
        boxes.add(i);
      }
    }
    int field = fields.get(random.nextInt(fields.size()));
    switch (random.nextInt(4)) {
      case 0 -> lines.add(field + 1, lines.get(field).replaceFirst("^\n", ""));
      case 1 -> lines.set(field, label.matcher(lines.get(field)).replaceFirst(m -> m.group().replace(m.group(1), "Blocks")));
      case 2 -> lines.set(types.get(random.nextInt(types.size())), "");
      default -> {
        int box = boxes.get(random.nextInt(boxes.size()));
        lines.set(box, lines.get(box).replaceFirst("^([-*+]|\\d+\\.) ", "$1"));
      }
    }
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
