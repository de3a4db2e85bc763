package dev.gatehouse.server.cli;

import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.testing.PolicyTestCase;
import dev.gatehouse.rules.testing.PolicyTestLoader;
import dev.gatehouse.rules.testing.PolicyTestResult;
import dev.gatehouse.rules.testing.PolicyTestRunner;
import dev.gatehouse.rules.testing.RuleCoverage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse test [DIR]}: runs the policy tests next to the rules, one line per case. */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = "Run the policy tests (DIR/tests/**.yaml|json) against the rules in DIR.")
final class TestCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Policy directory (default: the bundled policies/).")
  Path directory;

  @Option(names = "--tests", paramLabel = "DIR", description = "Test directory (default: DIR/tests).")
  Path tests;

  @Option(names = "--coverage", description = "Also print, for each rule, how many cases fired it, and the rules no case fires.")
  boolean coverage;

  @Mixin ConfigOption config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = PolicyDirectory.orBundled(directory);
    Path testDir = tests != null ? tests : dir.resolve("tests");
    if (!Files.isDirectory(testDir)) {
      err.println("gatehouse test: no test directory " + testDir);
      return ExitCodes.BAD_INPUT;
    }
    List<PolicyTestCase> cases;
    try {
      cases = new PolicyTestLoader().load(testDir);
    } catch (InvalidInputException e) {
      err.println("gatehouse test: " + e.describe());
      return ExitCodes.BAD_INPUT;
    }
    PolicySet set = config.compile(dir, "test", err);
    if (set == null) {
      return ExitCodes.FAILED;
    }
    int failed = 0;
    List<PolicyTestResult> results = new PolicyTestRunner(set).runAll(cases);
    for (PolicyTestResult result : results) {
      if (result.passed()) {
        out.println("PASS  " + result.testCase().displayName());
      } else {
        failed++;
        out.println("FAIL  " + result.testCase().displayName());
        result.failures().forEach(f -> out.println("      " + f));
        result.decision().reasons().forEach(r ->
            out.println("      reason " + r.severity().jsonName() + " " + r.code() + ": " + r.message()));
        out.print(DecisionText.trace(result.decision().trace()).replaceAll("(?m)^", "    "));
      }
    }
    out.println();
    out.println((cases.size() - failed) + " passed, " + failed + " failed");
    if (coverage) {
      printCoverage(RuleCoverage.of(set.rules(), results), out);
    }
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static void printCoverage(RuleCoverage coverage, PrintWriter out) {
    int rules = coverage.casesFiring().size();
    out.println();
    out.println("coverage: " + (rules - coverage.neverFired().size()) + " of " + rules + " rules fired by a case");
    coverage.casesFiring().forEach((rule, cases) ->
        out.printf("  %4d  %s:%d  %s%n", cases, rule.file(), rule.line(), rule.name()));
    if (!coverage.neverFired().isEmpty()) {
      out.println("never fired:");
      coverage.neverFired().forEach(rule -> out.println("  " + rule.file() + ":" + rule.line() + "  " + rule.name()));
    }
  }
}
