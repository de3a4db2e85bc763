package dev.gatehouse.rules.lint;

import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.MessageTemplate;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.RuleInfo;
import dev.gatehouse.rules.drools.sandbox.DslExpansion;
import dev.gatehouse.rules.testing.PolicyTestCase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Advice on a policy set that compiles: what an author most likely forgot. Findings are compile
 * issues, warnings by default and errors when strict, located in the file to fix:
 *
 * <ul>
 *   <li>a rule without {@code @gate}, {@code @code} or {@code @description}, or a rule that denies or
 *       warns without a {@code @remedy} (the next step that clears its reason);
 *   <li>a {@code [name]} or {@code [name.field]} in a rule's message or remedy that the rule cannot
 *       show: no condition binds the name, or the fact bound has no such field (it would be shown
 *       as written);
 *   <li>a code used by two rules with different descriptions (clients branch on codes, so one code
 *       should mean one thing);
 *   <li>a rule's code that no policy test expects, as a deny or a warning;
 *   <li>a DSL sentence that no {@code .dslr} line uses;
 *   <li>a {@code .dslr} line that expands to nothing.
 * </ul>
 */
public final class PolicyLint {

  // deny(kcontext, "...") or warn(kcontext, "..."), as a consequence calls them once expanded.
  private static final Pattern RAISE = Pattern.compile("\\b(?:deny|warn)\\s*\\(");
  private static final Pattern MESSAGE =
      Pattern.compile("\\b(?:deny|warn)\\s*\\(\\s*kcontext\\s*,\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern THEN = Pattern.compile("^\\s*then\\b");

  private final CompileIssue.Severity severity;

  /** Lint whose findings are errors when {@code strict}, warnings otherwise. */
  public PolicyLint(boolean strict) {
    this.severity = strict ? CompileIssue.Severity.ERROR : CompileIssue.Severity.WARNING;
  }

  /**
   * The findings on {@code set}.
   *
   * @param tests the policy tests, or null when there are none to compare codes with
   */
  public List<CompileIssue> check(PolicySet set, List<PolicyTestCase> tests) {
    List<CompileIssue> issues = new ArrayList<>();
    DslExpansion dsl = DslExpansion.of(set.files());
    metadata(set.rules(), dsl, issues);
    if (tests != null) {
      untested(set.rules(), tests, issues);
    }
    dsl(set.files(), dsl, issues);
    return issues.stream().sorted().toList();
  }

  /** A message or remedy of a rule, where it is written. */
  private record Template(String what, String text, int line) {}

  private void metadata(List<RuleInfo> rules, DslExpansion dsl, List<CompileIssue> issues) {
    Map<String, RuleInfo> firstByCode = new HashMap<>();
    for (RuleInfo rule : rules) {
      List<Template> messages = new ArrayList<>();
      boolean raises = consequence(rule, dsl, messages);
      String remedy = rule.remedy();
      List<String> missing = new ArrayList<>();
      if (rule.gates().isEmpty()) {
        missing.add("@gate");
      }
      if (rule.code() == null) {
        missing.add("@code");
      }
      if (rule.description() == null) {
        missing.add("@description");
      }
      if (raises && (remedy == null || remedy.isBlank())) {
        missing.add("@remedy");
      }
      if (!missing.isEmpty()) {
        issues.add(finding(rule.file(), rule.line(), "rule '" + rule.name() + "' has no " + String.join(", ", missing)));
      }
      if (rule.code() != null) {
        RuleInfo first = firstByCode.putIfAbsent(rule.code(), rule);
        if (first != null && !Objects.equals(first.description(), rule.description())) {
          issues.add(finding(rule.file(), rule.line(), "code '" + rule.code() + "' of rule '" + rule.name()
              + "' is also the code of rule '" + first.name() + "' with another description"));
        }
      }
      if (remedy != null) {
        messages.add(new Template("remedy", remedy, rule.line() + lineOf(rule.source(), "@remedy")));
      }
      for (Template template : messages) {
        placeholders(rule, template, issues);
      }
    }
  }

  /**
   * Whether the rule denies or warns, adding each message it gives as literal text to {@code
   * messages}. Read from the rule as Drools compiles it: the lines after {@code then}, with a {@code
   * .dslr} file's sentences expanded (expansion keeps lines, so each message keeps its line).
   */
  private static boolean consequence(RuleInfo rule, DslExpansion dsl, List<Template> messages) {
    String text = rule.file().endsWith(".dslr") ? dsl.expand(rule.source()) : rule.source();
    String[] lines = text.split("\\R", -1);
    boolean then = false;
    boolean raises = false;
    for (int i = 0; i < lines.length; i++) {
      Matcher starts = THEN.matcher(lines[i]);
      if (!then && starts.find()) {
        then = true;
        lines[i] = lines[i].substring(starts.end());
      }
      if (!then) {
        continue;
      }
      raises |= RAISE.matcher(lines[i]).find();
      Matcher message = MESSAGE.matcher(lines[i]);
      while (message.find()) {
        messages.add(new Template("message", message.group(1).replaceAll("\\\\(.)", "$1"), rule.line() + i));
      }
    }
    return raises;
  }

  /** The offset from the rule's header of the first line of {@code source} holding {@code text}, or 0. */
  private static int lineOf(String source, String text) {
    String[] lines = source.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(text)) {
        return i;
      }
    }
    return 0;
  }

  /** A finding for each placeholder of {@code template} that the rule would show as written. */
  private void placeholders(RuleInfo rule, Template template, List<CompileIssue> issues) {
    for (MessageTemplate.Placeholder p : MessageTemplate.parse(template.text()).placeholders()) {
      Class<?> type = rule.bound().get(p.name());
      String why = null;
      if (type == null) {
        why = "no condition binds '" + p.name() + "'"
            + (rule.bound().isEmpty() ? "" : " (it binds " + String.join(", ", new TreeSet<>(rule.bound().keySet())) + ")");
      } else if (p.field() != null && !MessageTemplate.canShow(type, p.field())) {
        why = p.name() + " is " + article(type.getSimpleName()) + ", which has no field '" + p.field() + "' to show";
      }
      if (why != null) {
        issues.add(finding(rule.file(), template.line(), "rule '" + rule.name() + "' cannot show " + p.text()
            + " in its " + template.what() + ": " + why));
      }
    }
  }

  private static String article(String noun) {
    return ("AEIOU".indexOf(noun.isEmpty() ? 'x' : noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }

  private void untested(List<RuleInfo> rules, List<PolicyTestCase> tests, List<CompileIssue> issues) {
    Set<String> expected = new TreeSet<>();
    for (PolicyTestCase test : tests) {
      expected.addAll(test.deny());
      if (test.warn() != null) {
        expected.addAll(test.warn());
      }
    }
    for (RuleInfo rule : rules) {
      if (rule.code() != null && !expected.contains(rule.code())) {
        issues.add(finding(rule.file(), rule.line(), "code '" + rule.code() + "' of rule '" + rule.name()
            + "' is expected by no policy test"));
      }
    }
  }

  private void dsl(PolicyFiles files, DslExpansion dsl, List<CompileIssue> issues) {
    List<String> used = new ArrayList<>();
    for (String path : files.files().keySet()) {
      if (!path.endsWith(".dslr")) {
        continue;
      }
      for (DslExpansion.Line line : dsl.lines(files.text(path))) {
        String written = line.written().strip();
        if (written.isEmpty() || written.startsWith("//") || written.startsWith("#")) {
          continue;
        }
        used.add(written);
        if (line.expanded().isBlank()) {
          issues.add(finding(path, line.line(), "'" + written + "' expands to nothing"));
        }
      }
    }
    for (DslExpansion.Sentence sentence : dsl.sentences()) {
      if (used.stream().noneMatch(line -> dsl.uses(sentence, line))) {
        issues.add(finding(sentence.file(), sentence.line(), "sentence '" + sentence.sentence() + "' is used by no rule"));
      }
    }
  }

  private CompileIssue finding(String file, int line, String message) {
    return new CompileIssue(file, line, 1, severity, message);
  }
}
