package dev.gatehouse.server.cli;

import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import dev.gatehouse.server.board.Board;
import dev.gatehouse.server.board.BoardQuery;
import dev.gatehouse.server.board.Boards;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.decide.DecisionService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse board}: every issue of a workspace against every gate, as the server's {@code GET /v1/board}. */
@Command(name = "board", mixinStandardHelpOptions = true,
    description = {"Every issue of the workspace against every gate: ✓, or ✗ with the first deny code. Exit 2 for bad input.",
        "Under the table, each denied cell's remedies: the next steps that clear its reasons."})
final class BoardCommand implements Callable<Integer> {

  @Option(names = "--workspace", paramLabel = "DIR", description = "Governance files (default: the config's, else the demo workspace).")
  Path workspace;

  @Option(names = "--policies", paramLabel = "DIR", description = "Policy directory (default: the bundled policies/).")
  Path policies;

  @Option(names = "--at", paramLabel = "TIME", description = "Evaluation time (ISO-8601); default now.")
  String at;

  @Option(names = "--gate", split = ",", description = "Gates to show (comma list); default every declared gate.")
  List<String> gates;

  @Option(names = "--actor", defaultValue = BoardQuery.DEFAULT_ACTOR, description = "Actor (default: ${DEFAULT-VALUE}).")
  String actor;

  @Option(names = "--json", description = "Print the board as the HTTP API returns it.")
  boolean json;

  @Option(names = "--markdown", description = "Print a Markdown table to paste into a pull request.")
  boolean markdown;

  @Mixin ConfigOption config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PolicySet set = config.compile(policies, "board", err);
    if (set == null) {
      return ExitCodes.BAD_INPUT;
    }
    Path dir;
    try {
      dir = workspace != null ? workspace : config.resolve(policies).workspace();
    } catch (ConfigException e) {
      err.println("gatehouse board: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (dir == null) {
      err.println("gatehouse board: no workspace: give --workspace DIR");
      return ExitCodes.BAD_INPUT;
    }
    Workspace loaded = WorkspaceLoader.load(dir);
    loaded.problems().forEach(p -> err.println("warning: " + p.describe()));
    DecisionService decisions = new DecisionService(() -> Optional.of(set), () -> loaded, Optional.empty(), Clock.systemUTC());
    Board board;
    try {
      Instant time = at == null ? null : RequestReader.parseInstant("--at", at);
      board = new Boards(decisions).draw(new BoardQuery(time, actor, gates, null, false),
          new Caller("cli:" + System.getProperty("user.name"), Set.of()));
    } catch (InvalidInputException e) {
      err.println("gatehouse board: " + e.describe());
      return ExitCodes.BAD_INPUT;
    }
    if (json) {
      out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(board));
    } else if (markdown) {
      out.print(markdown(board));
    } else {
      out.print(table(board, System.console() != null));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** ✓, or ✗ and the first deny code. */
  private static String mark(Board.Cell cell) {
    return cell.outcome() == Outcome.ALLOW ? "✓" : "✗ " + cell.reasons().stream()
        .filter(r -> r.severity() == dev.gatehouse.model.Severity.DENY).map(r -> r.code()).findFirst().orElse("");
  }

  static String table(Board board, boolean colour) {
    List<List<String>> lines = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("issue", "status"));
    header.addAll(board.gates());
    lines.add(header);
    for (Board.Row row : board.rows()) {
      List<String> line = new ArrayList<>(List.of(row.issue(), String.valueOf(row.status())));
      board.gates().forEach(g -> line.add(mark(row.cells().get(g))));
      lines.add(line);
    }
    int[] widths = new int[header.size()];
    lines.forEach(l -> {
      for (int i = 0; i < l.size(); i++) {
        widths[i] = Math.max(widths[i], l.get(i).length());
      }
    });
    StringBuilder text = new StringBuilder("board at " + board.at() + ", policy " + board.policy().revision()
        + ", workspace " + board.workspace() + "\n");
    for (List<String> line : lines) {
      for (int i = 0; i < line.size(); i++) {
        String cell = String.format("%-" + widths[i] + "s", line.get(i));
        // Colour only on a terminal: a pipe or a file gets plain text.
        if (colour && i >= 2 && line != lines.get(0)) {
          cell = (cell.startsWith("✓") ? "\u001b[32m" : "\u001b[31m") + cell + "\u001b[0m";
        }
        text.append(i == 0 ? "" : "  ").append(cell);
      }
      text.append('\n');
    }
    List<String> steps = remedies(board);
    if (!steps.isEmpty()) {
      text.append("\nremedies (what clears each denied cell):\n");
      steps.forEach(step -> text.append("  ").append(step).append('\n'));
    }
    return text.toString();
  }

  /** {@code ISSUE gate: remedy; remedy} for each denied cell with remedies, row by row. */
  static List<String> remedies(Board board) {
    List<String> steps = new ArrayList<>();
    for (Board.Row row : board.rows()) {
      for (String gate : board.gates()) {
        Board.Cell cell = row.cells().get(gate);
        if (cell.outcome() == Outcome.DENY && !cell.remedies().isEmpty()) {
          steps.add(row.issue() + " " + gate + ": " + String.join("; ", cell.remedies()));
        }
      }
    }
    return steps;
  }

  static String markdown(Board board) {
    StringBuilder text = new StringBuilder("Board at `" + board.at() + "`, policy `" + board.policy().revision() + "`\n\n");
    text.append("| issue | status | ").append(String.join(" | ", board.gates())).append(" |\n");
    text.append("|---|---|").append("---|".repeat(board.gates().size())).append('\n');
    for (Board.Row row : board.rows()) {
      text.append("| ").append(row.issue()).append(" | ").append(row.status());
      for (String gate : board.gates()) {
        String mark = mark(row.cells().get(gate));
        text.append(" | ").append(mark.startsWith("✓") ? "✅" : "❌ `" + mark.substring(2) + "`");
      }
      text.append(" |\n");
    }
    List<String> steps = remedies(board);
    if (!steps.isEmpty()) {
      text.append("\nRemedies:\n\n");
      steps.forEach(step -> text.append("- ").append(step).append('\n'));
    }
    return text.toString();
  }
}
