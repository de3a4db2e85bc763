package dev.gatehouse.server.cli;

import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse check [DIR]}: compiles a policy directory and prints every problem. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Compile a policy directory and print every problem as file:line:col: message.")
final class CheckCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Policy directory (default: the bundled policies/).")
  Path directory;

  @Option(names = "--workspace", paramLabel = "DIR", description = "Also load a workspace and list its problems.")
  Path workspace;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int workspaceExit = ExitCodes.OK;
    if (workspace != null) {
      Workspace loaded = WorkspaceLoader.load(workspace);
      loaded.problems().forEach(p -> err.println(p.describe()));
      out.println((loaded.problems().isEmpty() ? "ok" : loaded.problems().size() + " problem(s)") + ": workspace "
          + workspace + ", " + loaded.files().size() + " files, facts " + loaded.counts() + ", revision " + loaded.revision());
      workspaceExit = loaded.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
    Path dir = PolicyDirectory.orBundled(directory);
    PolicyFiles files;
    try {
      files = PolicyFiles.read(dir);
    } catch (IOException e) {
      err.println("gatehouse check: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    CompileResult result = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(files);
    for (CompileIssue issue : result.issues()) {
      (issue.severity() == CompileIssue.Severity.ERROR ? err : out).println(issue.describe());
    }
    if (!result.succeeded()) {
      err.println(result.errors().size() + " error(s) in " + dir);
      return ExitCodes.FAILED;
    }
    var set = result.policySet().orElseThrow();
    out.println("ok: " + files.size() + " files, " + set.rules().size() + " rules, gates "
        + String.join(", ", set.gates()) + ", revision " + set.revision());
    return workspaceExit;
  }
}
