package dev.gatehouse.server.cli;

import dev.gatehouse.server.files.FileErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gatehouse} command: the composition root of every subcommand. */
@Command(
    name = "gatehouse",
    mixinStandardHelpOptions = true,
    version = "gatehouse 0.1.0",
    description = "Policy decisions for governed software-change workflows.",
    subcommands = {CheckCommand.class, EvalCommand.class, TestCommand.class, ReplayCommand.class, LogCommand.class,
        ServeCommand.class, DslCommand.class, BoardCommand.class},
    exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
    exitCodeOnExecutionException = ExitCodes.BAD_INPUT)
public final class Main {

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** Runs the command line writing to {@code out} and {@code err}, for tests and embedding. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return commandLine().setOut(out).setErr(err).execute(args);
  }

  private static CommandLine commandLine() {
    // A command that fails unexpectedly prints one line, never a stack trace.
    return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("gatehouse " + cmd.getCommandName() + ": " + FileErrors.describe(e));
      return ExitCodes.BAD_INPUT;
    });
  }
}
