package dev.gatehouse.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.server.log.ChainedDecision;
import dev.gatehouse.server.log.DecisionReader;
import dev.gatehouse.server.log.LogImport;
import dev.gatehouse.server.log.LogOptions;
import dev.gatehouse.server.log.LoggedDecision;
import dev.gatehouse.server.log.ReplayQuery;
import dev.gatehouse.server.log.Snapshot;
import dev.gatehouse.server.log.DecisionLogs;
import dev.gatehouse.server.log.Verification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gatehouse log}: the decision log's hash chain checked, and the log exported and imported. */
@Command(name = "log", mixinStandardHelpOptions = true,
    description = "Check the decision log's hash chain, export it as NDJSON, import an export into an empty log.",
    subcommands = {LogCommand.Verify.class, LogCommand.Export.class, LogCommand.Import.class})
final class LogCommand {

  /**
   * One exported decision, one JSON object a line: the columns of its row, the request and the
   * decision as the exact text logged (strings, so that their bytes, which the chain hashes,
   * survive), and its links in the chain.
   */
  record Line(String decisionId, String loggedAt, String gate, String subject, String actor, String principal,
      String policyRevision, String workspaceRevision, Outcome outcome, long durationMicros, String request,
      String decision, String chainPrev, String chainHash) {

    static Line of(ChainedDecision c) {
      LoggedDecision d = c.decision();
      return new Line(d.decisionId(), d.loggedAt().toString(), d.gate(), d.subject(), d.actor(), d.principal(),
          d.policyRevision(), d.workspaceRevision(), d.outcome(), d.durationMicros(), d.requestJson(), d.decisionJson(),
          c.previous(), c.hash());
    }

    ChainedDecision chained() {
      return new ChainedDecision(new LoggedDecision(decisionId, Instant.parse(loggedAt), gate, subject, actor, principal,
          request, policyRevision, workspaceRevision, outcome, decision, durationMicros), chainPrev, chainHash);
    }
  }

  /**
   * The files of a revision the following decisions name, one JSON object a line before the first of
   * them: {@code snapshot} says whether they are a policy set's or a workspace's; the files' bytes are
   * base64.
   */
  record SnapshotLine(Snapshot.Kind snapshot, String revision, SortedMap<String, byte[]> files) {

    static SnapshotLine of(Snapshot s) {
      return new SnapshotLine(s.kind(), s.revision(), s.files());
    }
  }

  /**
   * The log of {@code --log-url}, or the file in {@code data}; null after saying why there is none:
   * reading never creates one.
   */
  private static LogOptions existing(Path data, LogUrlOption url, String command, PrintWriter err) {
    LogOptions options;
    try {
      options = url.options(data);
    } catch (IllegalArgumentException e) {
      err.println("gatehouse log " + command + ": --log-url: " + e.getMessage());
      return null;
    }
    if (!options.onPostgres() && !Files.isRegularFile(options.databaseFile())) {
      err.println("gatehouse log " + command + ": no decision log at " + options.databaseFile());
      return null;
    }
    return options;
  }

  /** {@code gatehouse log verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the hash chain from the oldest decision to the newest; exit 1 naming every broken link.")
  static final class Verify implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data", description = "Data directory holding decisions.db (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Mixin LogUrlOption url;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      LogOptions options = existing(data, url, "verify", spec.commandLine().getErr());
      if (options == null) {
        return ExitCodes.BAD_INPUT;
      }
      Verification v;
      try (DecisionReader log = DecisionLogs.openReader(options)) {
        v = log.verify();
      }
      if (json) {
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(v));
      } else {
        out.println((v.intact() ? "intact: " : "broken: ") + v.checked() + " decisions checked"
            + (v.unchained() == 0 ? "" : ", " + v.unchained() + " logged before the chain")
            + (v.intact() ? "" : ", " + v.breaks().size() + " broken link" + (v.breaks().size() == 1 ? "" : "s"))
            + (v.head() == null ? "" : "; head " + v.head()));
        v.breaks().forEach(b -> out.println("  " + b.decisionId() + " (seq " + b.seq() + ", " + b.problem() + "): " + b.message()));
      }
      return v.intact() ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  /** {@code gatehouse log export}. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write logged decisions to standard output as NDJSON, oldest first: one decision a line, with its"
          + " request, snapshot revisions and links in the hash chain, each revision's files on a line before the"
          + " first decision that names it.")
  static final class Export implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data", description = "Data directory holding decisions.db (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--since", paramLabel = "TIME", description = "Only decisions logged at or after this time (ISO-8601).")
    String since;

    @Option(names = "--gate", description = "Only decisions of this gate.")
    String gate;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
        description = "Write to FILE instead of standard output, with a progress bar on a terminal.")
    Path output;

    @Mixin LogUrlOption url;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      LogOptions options = existing(data, url, "export", err);
      if (options == null) {
        return ExitCodes.BAD_INPUT;
      }
      ReplayQuery query;
      try {
        query = new ReplayQuery(gate, since == null ? null : RequestReader.parseInstant("--since", since));
      } catch (InvalidInputException e) {
        err.println("gatehouse log export: " + e.describe());
        return ExitCodes.BAD_INPUT;
      }
      try (DecisionReader log = DecisionLogs.openReader(options);
          PrintWriter to = output == null ? null : new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8))) {
        PrintWriter lines = to == null ? out : to;
        // A bar only where someone watches it: on the terminal, while the lines go to a file.
        Progress progress = to != null && System.console() != null ? new Progress(err, log.count(query)) : null;
        Set<String> written = new HashSet<>();
        // Line by line as read: an export of any size holds one chunk of the log in memory.
        log.forEachChained(query, d -> {
          for (String revision : new String[] {d.decision().policyRevision(), d.decision().workspaceRevision()}) {
            if (revision != null && written.add(revision)) {
              log.snapshot(revision).ifPresent(s -> lines.println(json(SnapshotLine.of(s))));
            }
          }
          lines.println(json(Line.of(d)));
          if (progress != null) {
            progress.advance();
          }
        });
        if (progress != null) {
          progress.done();
        }
        lines.flush();
        if (lines.checkError()) {
          err.println("gatehouse log export: cannot write " + (output == null ? "standard output" : output));
          return ExitCodes.FAILED;
        }
      } catch (IOException e) {
        err.println("gatehouse log export: cannot write " + output + ": " + e.getMessage());
        return ExitCodes.FAILED;
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  private static String json(Object line) {
    try {
      return Json.mapper().writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A bar of how many of the decisions to export are written, redrawn in place on the terminal. */
  private static final class Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final long total;
    private long done;
    private int drawn = -1;

    Progress(PrintWriter err, long total) {
      this.err = err;
      this.total = total;
    }

    void advance() {
      done++;
      int filled = total == 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / total);
      // Redrawn when the bar grows, not per decision: a terminal is slower than the log.
      if (filled != drawn) {
        drawn = filled;
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " decisions");
        err.flush();
      }
    }

    void done() {
      err.println("\rexported " + done + " decisions" + " ".repeat(WIDTH + 10));
    }
  }

  /** {@code gatehouse log import}. */
  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Write an export into an empty decision log, all of it or nothing; each decision must come out with"
          + " the hash it was exported with, each snapshot with the files of its revision.")
  static final class Import implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data", description = "Data directory of the empty log, unless --log-url (default: ${DEFAULT-VALUE}).")
    Path data;

    @Parameters(paramLabel = "FILE", description = "The NDJSON export; - for standard input.")
    String file;

    @Mixin LogUrlOption url;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException, SQLException {
      PrintWriter err = spec.commandLine().getErr();
      LogOptions options;
      try {
        options = url.options(data);
      } catch (IllegalArgumentException e) {
        err.println("gatehouse log import: --log-url: " + e.getMessage());
        return ExitCodes.BAD_INPUT;
      }
      try (BufferedReader in = file.equals("-")
              ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
              : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
          LogImport into = LogImport.into(options)) {
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          number++;
          if (line.isBlank()) {
            continue;
          }
          try {
            JsonNode node = Json.mapper().readTree(line);
            if (node.has("snapshot")) {
              SnapshotLine snapshot = Json.mapper().treeToValue(node, SnapshotLine.class);
              into.addSnapshot(snapshot.snapshot(), snapshot.revision(), snapshot.files());
            } else {
              into.add(Json.mapper().treeToValue(node, Line.class).chained());
            }
          } catch (IOException | DateTimeParseException | IllegalArgumentException | NullPointerException e) {
            err.println("gatehouse log import: " + file + ":" + number + ": " + describe(e) + "; nothing was imported");
            return ExitCodes.BAD_INPUT;
          }
        }
        long decisions = into.finish();
        spec.commandLine().getOut().println("imported " + count(decisions, "decision") + " and "
            + count(into.snapshots(), "snapshot") + " into " + into.where());
        return ExitCodes.OK;
      } catch (IllegalStateException e) {
        err.println("gatehouse log import: " + e.getMessage());
        return ExitCodes.BAD_INPUT;
      }
    }

    private static String count(long n, String thing) {
      return n + " " + thing + (n == 1 ? "" : "s");
    }

    private static String describe(Exception e) {
      if (e instanceof JsonProcessingException json) {
        return "not an exported decision: " + json.getOriginalMessage();
      }
      if (e instanceof NullPointerException) {
        return "not an exported decision: " + e.getMessage() + " is missing";
      }
      return e.getMessage();
    }
  }
}
