package dev.gatehouse.server.cli;

import dev.gatehouse.server.files.FileErrors;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.drools.sandbox.DslExpansion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse dsl FILE.dslr}: each line as the author wrote it, and under every sentence the
 * DRL it expands to, so an author can see what a sentence means.
 */
@Command(name = "dsl", mixinStandardHelpOptions = true,
    description = "Show a .dslr file with the DRL each sentence expands to, using the .dsl files of its policy directory.")
final class DslCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE.dslr", description = "The rule file written in the governance DSL.")
  Path file;

  @Option(names = "--policies", paramLabel = "DIR", description = "Where the .dsl files are (default: the file's directory).")
  Path policies;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(file)) {
      err.println("gatehouse dsl: no such file " + file);
      return ExitCodes.BAD_INPUT;
    }
    Path dir = policies != null ? policies : file.toAbsolutePath().getParent();
    PolicyFiles files;
    try {
      files = PolicyFiles.read(dir);
    } catch (IOException e) {
      err.println("gatehouse dsl: " + FileErrors.describe(e));
      return ExitCodes.BAD_INPUT;
    }
    DslExpansion dsl = DslExpansion.of(files);
    if (dsl.sentences().isEmpty()) {
      err.println("gatehouse dsl: no .dsl files in " + dir);
      return ExitCodes.BAD_INPUT;
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    for (DslExpansion.Line line : dsl.lines(text)) {
      out.printf("%4d  %s%n", line.line(), line.written());
      String expanded = line.expanded().strip();
      if (!expanded.equals(line.written().strip())) {
        out.println("        => " + (expanded.isEmpty() ? "(nothing)" : expanded));
      }
    }
    return ExitCodes.OK;
  }
}
