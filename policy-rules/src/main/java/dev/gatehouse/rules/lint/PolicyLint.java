package dev.gatehouse.rules.lint;

import dev.gatehouse.rules.CompileIssue;
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

/**
 * Advice on a policy set that compiles: what an author most likely forgot. Findings are compile
 * issues, warnings by default and errors when strict, located in the file to fix:
 *
 * <ul>
 *   <li>a rule without {@code @gate}, {@code @code} or {@code @description};
 *   <li>a code used by two rules with different descriptions (clients branch on codes, so one code
 *       should mean one thing);
 *   <li>a rule's code that no policy test expects, as a deny or a warning;
 *   <li>a DSL sentence that no {@code .dslr} line uses;
 *   <li>a {@code .dslr} line that expands to nothing.
 * </ul>
 */
public final class PolicyLint {

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
    metadata(set.rules(), issues);
    if (tests != null) {
      untested(set.rules(), tests, issues);
    }
    dsl(set.files(), issues);
    return issues.stream().sorted().toList();
  }

  private void metadata(List<RuleInfo> rules, List<CompileIssue> issues) {
    Map<String, RuleInfo> firstByCode = new HashMap<>();
    for (RuleInfo rule : rules) {
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
    }
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

  private void dsl(PolicyFiles files, List<CompileIssue> issues) {
    DslExpansion dsl = DslExpansion.of(files);
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
