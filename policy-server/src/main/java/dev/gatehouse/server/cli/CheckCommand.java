package dev.gatehouse.server.cli;

import dev.gatehouse.server.files.FileErrors;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.ServerConfig;
import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.lint.PolicyLint;
import dev.gatehouse.rules.testing.PolicyTestCase;
import dev.gatehouse.rules.testing.PolicyTestLoader;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceAudit;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse check [DIR]}: compiles a policy directory, prints every problem, then lints it
 * (warnings; errors with {@code --strict}). With {@code --workspace}, also lists the workspace's
 * problems and audits it with the compiled set: every recorded status the gates contradict.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Compile a policy directory and print every problem as file:line:col: message.",
        "Then lint it: rules without @gate/@code/@description, rules that deny or warn without @remedy, "
            + "[placeholders] in a message or remedy that the rule cannot show, a code with two descriptions, "
            + "codes no test under DIR/tests expects, DSL sentences no rule uses, .dslr lines that expand to nothing.",
        "With --workspace, list what the workspace could not read and audit it: each issue recorded validated "
            + "that the validate gate denies, and each candidate or ready issue whose blockers the execute gate "
            + "finds not validated. Exit 1 for a problem or a finding."})
final class CheckCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Policy directory (default: the bundled policies/).")
  Path directory;

  @Option(names = "--workspace", paramLabel = "DIR", description = "Also load a workspace, list its problems and audit it.")
  Path workspace;

  @Option(names = "--at", paramLabel = "TIME", description = "The time the audit asks the gates at (ISO-8601); default now.")
  String at;

  @Option(names = "--strict", description = "Lint findings are errors (exit 1), not warnings.")
  boolean strict;

  @Mixin ConfigOption config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int workspaceExit = ExitCodes.OK;
    Instant auditAt;
    try {
      auditAt = at == null ? Instant.now() : RequestReader.parseInstant("--at", at);
    } catch (InvalidInputException e) {
      err.println("gatehouse check: " + e.describe());
      return ExitCodes.BAD_INPUT;
    }
    Workspace loaded = null;
    if (workspace != null) {
      loaded = WorkspaceLoader.load(workspace);
      loaded.problems().forEach(p -> err.println(p.describe()));
      out.println((loaded.problems().isEmpty() ? "ok" : loaded.problems().size() + " problem(s)") + ": workspace "
          + workspace + ", " + loaded.files().size() + " files, facts " + loaded.counts() + ", revision " + loaded.revision());
      workspaceExit = loaded.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
    ServerConfig config;
    try {
      config = this.config.resolve(directory);
    } catch (ConfigException e) {
      err.println("gatehouse check: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    Path dir = config.policies();
    PolicyFiles files;
    try {
      files = PolicyFiles.read(dir);
    } catch (IOException e) {
      err.println("gatehouse check: " + FileErrors.describe(e));
      return ExitCodes.BAD_INPUT;
    }
    CompileResult result = config.compiler().compile(files);
    for (CompileIssue issue : result.issues()) {
      (issue.severity() == CompileIssue.Severity.ERROR ? err : out).println(issue.describe());
    }
    if (!result.succeeded()) {
      err.println(result.errors().size() + " error(s) in " + dir);
      return ExitCodes.FAILED;
    }
    PolicySet set = result.policySet().orElseThrow();
    List<CompileIssue> findings = new PolicyLint(strict).check(set, tests(dir, err));
    findings.forEach(f -> (strict ? err : out).println(f.describe()));
    if (strict && !findings.isEmpty()) {
      err.println(findings.size() + " lint error(s) in " + dir);
      return ExitCodes.FAILED;
    }
    out.println("ok: " + files.size() + " files, " + set.rules().size() + " rules, gates "
        + String.join(", ", set.gates()) + ", revision " + set.revision()
        + (findings.isEmpty() ? "" : ", " + findings.size() + " warning(s)"));
    if (loaded == null) {
      return workspaceExit;
    }
    WorkspaceAudit.Report audit = WorkspaceAudit.of(set, loaded, auditAt);
    audit.findings().forEach(f -> f.describe().forEach(err::println));
    out.println((audit.findings().isEmpty() ? "ok" : audit.findings().size() + " finding(s)") + ": audit at "
        + auditAt + (audit.findings().isEmpty() ? ", no recorded status the gates contradict"
        : ", recorded statuses the gates contradict"));
    return audit.findings().isEmpty() ? workspaceExit : ExitCodes.FAILED;
  }

  /** The policy tests under DIR/tests, for the lint of untested codes; null when there are none to read. */
  private static List<PolicyTestCase> tests(Path dir, PrintWriter err) throws IOException {
    Path tests = dir.resolve("tests");
    if (!Files.isDirectory(tests)) {
      return null;
    }
    try {
      return new PolicyTestLoader().load(tests);
    } catch (InvalidInputException e) {
      err.println("gatehouse check: not checking codes against tests: " + e.describe());
      return null;
    }
  }
}
