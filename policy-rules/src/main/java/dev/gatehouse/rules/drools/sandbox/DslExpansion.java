package dev.gatehouse.rules.drools.sandbox;

import dev.gatehouse.rules.PolicyFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.drools.drl.parser.lang.dsl.DSLMappingEntry;
import org.drools.drl.parser.lang.dsl.DSLTokenizedMappingFile;
import org.drools.drl.parser.lang.dsl.DefaultExpander;

/**
 * The governance DSL of a policy set: every {@code .dsl} file's sentences, and the expansion of a
 * {@code .dslr} file into DRL as the Drools builder does it (every {@code .dsl} of the set applies
 * to every {@code .dslr}). The expansion keeps line numbers, so line {@code n} of the DRL is what
 * line {@code n} of the author's file means.
 */
public final class DslExpansion {

  /**
   * One sentence of a {@code .dsl} file.
   *
   * @param file the {@code .dsl} file
   * @param line its line there
   * @param section {@code when}, {@code then} or {@code keyword}
   * @param sentence the sentence as written, placeholders included
   * @param expansion the DRL it stands for
   */
  public record Sentence(String file, int line, String section, String sentence, String expansion) {}

  /**
   * One line of a {@code .dslr} file beside its expansion.
   *
   * @param line the line, from 1
   * @param written the line as the author wrote it
   * @param expanded the DRL it expands to
   */
  public record Line(int line, String written, String expanded) {}

  private record Mapping(Sentence sentence, DSLMappingEntry entry) {}

  private final List<DSLTokenizedMappingFile> files = new ArrayList<>();
  private final List<Mapping> mappings = new ArrayList<>();

  private DslExpansion() {}

  /** The DSL of {@code files}: their {@code .dsl} files, in path order. */
  public static DslExpansion of(PolicyFiles files) {
    DslExpansion dsl = new DslExpansion();
    files.files().keySet().stream().filter(p -> p.endsWith(".dsl")).forEach(path -> dsl.load(path, files.text(path)));
    return dsl;
  }

  private void load(String path, String text) {
    DSLTokenizedMappingFile file = new DSLTokenizedMappingFile();
    try {
      file.parseAndLoad(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.add(file);
    String[] lines = text.split("\\R", -1);
    for (DSLMappingEntry entry : file.getMapping().getEntries()) {
      String section = entry.getSection().getSymbol().replaceAll("[\\[\\]]", "");
      mappings.add(new Mapping(
          new Sentence(path, lineOf(lines, entry.getMappingKey()), section, entry.getMappingKey().strip(),
              entry.getMappingValue().strip()),
          entry));
    }
  }

  private static int lineOf(String[] lines, String key) {
    String wanted = key.strip();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith("[") && line.contains("]" + wanted + "=")) {
        return i + 1;
      }
    }
    return 0;
  }

  /** Every sentence of every {@code .dsl} file, in file order. */
  public List<Sentence> sentences() {
    return mappings.stream().map(Mapping::sentence).toList();
  }

  /** Whether {@code sentence} matches (part of) {@code line}, as the expander would apply it. */
  public boolean uses(Sentence sentence, String line) {
    return mappings.stream().filter(m -> m.sentence() == sentence)
        .anyMatch(m -> m.entry().getKeyPattern().matcher(" " + line.strip() + " ").find());
  }

  /**
   * The first line of {@code dslr} that could grow past {@code maxChars} while it is expanded, or 0.
   * The expander rewrites a line with each sentence in turn, so a sentence whose expansion holds
   * another sentence several times multiplies the line: six such sentences make one line a hundred
   * thousand patterns. Applying every sentence in order, and stopping as soon as the line is too
   * long, finds such a line without building it; over-approximating (a {@code then} sentence applied
   * to a condition too) can only make the line longer, never hide a bomb.
   */
  int firstLineGrowingPast(String dslr, int maxChars) {
    String[] lines = dslr.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      for (Mapping mapping : mappings) {
        try {
          line = mapping.entry().getKeyPattern().matcher(line).replaceAll(mapping.entry().getValuePattern());
        } catch (RuntimeException e) {
          // A value the expander itself would fail on: the builder reports it, size is not the problem.
          continue;
        }
        if (line.length() > maxChars) {
          return i + 1;
        }
      }
    }
    return 0;
  }

  /** The DRL a {@code .dslr} text expands to, line for line; lines no sentence matches stay as written. */
  public String expand(String dslr) {
    return expand(dslr, files);
  }

  private static String expand(String dslr, List<DSLTokenizedMappingFile> order) {
    DefaultExpander expander = new DefaultExpander();
    order.forEach(f -> expander.addDSLMapping(f.getMapping()));
    return expander.expand(dslr);
  }

  /** The most {@code .dsl} files whose every order {@link #firstOrderDependentLine} tries. */
  static final int MAX_FILES = 4;

  /**
   * The first line of {@code dslr} whose expansion depends on the order in which the {@code .dsl}
   * files are applied, or 0. The builder does not promise an order, so the sandbox must check the
   * same DRL the builder will compile whatever order it picks.
   */
  int firstOrderDependentLine(String dslr) {
    String[] expected = expand(dslr).split("\\R", -1);
    for (List<DSLTokenizedMappingFile> order : orders(files)) {
      String[] other = expand(dslr, order).split("\\R", -1);
      for (int i = 0; i < Math.max(expected.length, other.length); i++) {
        if (i >= expected.length || i >= other.length || !expected[i].equals(other[i])) {
          return i + 1;
        }
      }
    }
    return 0;
  }

  /** Whether there are too many {@code .dsl} files to try every order. */
  boolean tooManyFiles() {
    return files.size() > MAX_FILES;
  }

  private static <T> List<List<T>> orders(List<T> items) {
    if (items.size() <= 1) {
      return List.of(items);
    }
    List<List<T>> orders = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      List<T> rest = new ArrayList<>(items);
      T first = rest.remove(i);
      for (List<T> tail : orders(rest)) {
        List<T> order = new ArrayList<>();
        order.add(first);
        order.addAll(tail);
        orders.add(order);
      }
    }
    return orders;
  }

  /** Every line of a {@code .dslr} text beside what it expands to. */
  public List<Line> lines(String dslr) {
    String[] written = dslr.split("\\R", -1);
    String[] expanded = expand(dslr).split("\\R", -1);
    List<Line> lines = new ArrayList<>(written.length);
    for (int i = 0; i < written.length; i++) {
      lines.add(new Line(i + 1, written[i], i < expanded.length ? expanded[i] : ""));
    }
    return lines;
  }
}
