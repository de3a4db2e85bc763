package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.model.CheckStatus;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.DecisionDiff;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import dev.gatehouse.server.log.DecisionReader;
import dev.gatehouse.server.log.LogOptions;
import dev.gatehouse.server.log.ReplayQuery;
import dev.gatehouse.server.log.SqliteDecisionLog;
import dev.gatehouse.server.replay.Replayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse replay}: impact analysis. Re-evaluates logged decisions against a candidate
 * policy directory and reports which would change; the log is only read.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Re-evaluate logged decisions against a candidate policy directory and report what would change.")
final class ReplayCommand implements Callable<Integer> {

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "data", description = "Data directory holding decisions.db (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--policies", paramLabel = "DIR", description = "Candidate policy directory (default: the bundled policies/).")
  Path policies;

  @Option(names = "--workspace", paramLabel = "DIR", description = "Workspace whose facts the decisions were made with.")
  Path workspace;

  @Option(names = "--gate", description = "Only decisions of this gate.")
  String gate;

  @Option(names = "--since", paramLabel = "TIME", description = "Only decisions logged at or after this time (ISO-8601).")
  String since;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Mixin ConfigOption config;

  @Spec CommandSpec spec;

  /** One decision whose replay differs: in its outcome, its reason codes or its checks. */
  record Change(String decisionId, String gate, String subject, boolean outcomeChanged, String from, String to,
      List<String> codesAdded, List<String> codesRemoved, List<DecisionDiff.FlippedCheck> checksFlipped) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LogOptions options = LogOptions.defaults(data);
    if (!Files.isRegularFile(options.databaseFile())) {
      err.println("gatehouse replay: no decision log at " + options.databaseFile());
      return ExitCodes.BAD_INPUT;
    }
    ReplayQuery query;
    Workspace facts = null;
    try {
      query = new ReplayQuery(gate, since == null ? null : RequestReader.parseInstant("--since", since));
      if (workspace != null) {
        facts = WorkspaceLoader.load(workspace);
      }
    } catch (InvalidInputException e) {
      err.println("gatehouse replay: " + e.describe());
      return ExitCodes.BAD_INPUT;
    }
    PolicySet set = config.compile(policies, "replay", err);
    if (set == null) {
      return ExitCodes.BAD_INPUT;
    }
    List<Change> changes = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    long read;
    // Decisions made with other workspace facts than this replay uses: a change among them may
    // come from the facts rather than from the policies. Decisions made without workspace facts
    // are replayed without them, whatever --workspace says.
    long[] otherFacts = {0};
    try (DecisionReader log = SqliteDecisionLog.openReadOnly(options.databaseFile())) {
      long total = log.count(query);
      Progress progress = new Progress(err, total);
      Replayer replayer = new Replayer();
      Workspace workspaceFacts = facts;
      long[] seen = {0};
      String replayedWith = facts == null ? null : facts.revision();
      log.forEach(query, logged -> {
        seen[0]++;
        progress.update(seen[0]);
        if (logged.workspaceRevision() != null && !logged.workspaceRevision().equals(replayedWith)) {
          otherFacts[0]++;
        }
        try {
          Replayer.Replay replay = replayer.replay(logged, set, workspaceFacts);
          if (!replay.diff().unchanged()) {
            changes.add(new Change(logged.decisionId(), logged.gate(), logged.subject(),
                replay.diff().outcomeChanged(), replay.diff().originalOutcome().name(), replay.diff().replayedOutcome().name(),
                codes(replay.diff().reasonsAdded()), codes(replay.diff().reasonsRemoved()),
                replay.diff().checksFlipped()));
          }
        } catch (InvalidInputException e) {
          errors.add(logged.decisionId() + ": " + e.describe());
        }
      });
      progress.done();
      read = seen[0];
    }
    long replayed = read - errors.size();
    long outcomes = changes.stream().filter(Change::outcomeChanged).count();
    if (json) {
      ObjectNode report = Json.mapper().createObjectNode();
      report.put("read", read).put("replayed", replayed).put("changed", changes.size())
          .put("outcomesChanged", outcomes).put("revision", set.revision());
      report.set("changes", Json.mapper().valueToTree(changes));
      ArrayNode failed = report.putArray("errors");
      errors.forEach(failed::add);
      out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    } else {
      out.println("replayed " + replayed + " of " + read + " decisions against " + set.revision() + " (" + config.policies(policies) + "): "
          + changes.size() + " would change"
          + (changes.isEmpty() ? "" : " (" + outcomes + " in outcome)")
          + (errors.isEmpty() ? "" : ", " + errors.size() + " could not be replayed"));
      for (Change c : changes) {
        out.println("  " + c.decisionId() + "  " + c.gate() + " " + c.subject() + "  " + c.from() + " -> " + c.to()
            + (c.codesAdded().isEmpty() ? "" : "  +" + String.join(" +", c.codesAdded()))
            + (c.codesRemoved().isEmpty() ? "" : "  -" + String.join(" -", c.codesRemoved()))
            + (c.checksFlipped().isEmpty() ? "" : "  checks: " + String.join(", ", c.checksFlipped().stream()
                .map(ReplayCommand::flipped).toList())));
      }
      errors.forEach(e -> err.println("could not replay " + e));
    }
    if (otherFacts[0] > 0) {
      err.println("gatehouse replay: note: " + otherFacts[0] + " of the " + read + " decisions were made with other"
          + " workspace facts than this replay uses (" + (workspace == null ? "none: pass --workspace DIR" : workspace)
          + "); their changes may come from the facts, not from the policies");
    }
    return errors.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** A flipped check as {@code code failed->passed}; a side without the rule reads "none". */
  private static String flipped(DecisionDiff.FlippedCheck check) {
    return check.code() + " " + status(check.from()) + "->" + status(check.to());
  }

  private static String status(CheckStatus status) {
    return status == null ? "none" : status.jsonName();
  }

  private static List<String> codes(List<Reason> reasons) {
    return reasons.stream().map(Reason::code).distinct().sorted().toList();
  }

  /** A progress bar on standard error, shown only on a terminal and for long runs. */
  private static final class Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final long total;
    private final boolean shown;
    private long lastPercent = -1;

    Progress(PrintWriter err, long total) {
      this.err = err;
      this.total = total;
      this.shown = System.console() != null && total >= 200;
    }

    void update(long done) {
      long percent = total == 0 ? 100 : done * 100 / total;
      if (shown && percent != lastPercent) {
        lastPercent = percent;
        int filled = (int) (percent * WIDTH / 100);
        err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total);
        err.flush();
      }
    }

    void done() {
      if (shown) {
        err.println();
      }
    }
  }
}
