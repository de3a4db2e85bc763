package dev.gatehouse.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.model.CheckStatus;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.DecisionDiff;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyCompiler;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.log.DecisionReader;
import dev.gatehouse.server.log.LoggedDecision;
import dev.gatehouse.server.log.LogOptions;
import dev.gatehouse.server.log.ReplayQuery;
import dev.gatehouse.server.log.DecisionLogs;
import dev.gatehouse.server.replay.DecidedWith;
import dev.gatehouse.server.replay.Replayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse replay}: impact analysis and audit. Re-evaluates logged decisions against a
 * policy directory and reports which would change, or as they were decided and reports any that
 * do not come out the same; the log is only read.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Re-evaluate logged decisions: as decided (any difference is a determinism fault), or against a"
        + " policy directory, reporting what would change.")
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

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "now",
      description = "as-decided: the deciding revision over the deciding facts, from the log's snapshots (any difference"
          + " is a determinism fault); candidate: --policies over the deciding facts; now: --policies over --workspace"
          + " (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Mixin ConfigOption config;

  @Mixin LogUrlOption url;

  @Spec CommandSpec spec;

  /** One decision whose replay differs: in its outcome, its reason codes or its checks. */
  record Change(String decisionId, String gate, String subject, boolean outcomeChanged, String from, String to,
      List<String> codesAdded, List<String> codesRemoved, List<DecisionDiff.FlippedCheck> checksFlipped) {}

  /** One decision a replay as decided did not reproduce, and how. */
  record Fault(String decisionId, String gate, String subject, List<String> faults) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LogOptions options;
    try {
      options = url.options(data);
    } catch (IllegalArgumentException e) {
      err.println("gatehouse replay: --log-url: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (!options.onPostgres() && !Files.isRegularFile(options.databaseFile())) {
      err.println("gatehouse replay: no decision log at " + options.databaseFile());
      return ExitCodes.BAD_INPUT;
    }
    Replayer.Mode replayMode = Replayer.Mode.named(mode).orElse(null);
    if (replayMode == null) {
      err.println("gatehouse replay: '" + mode + "' is not a replay mode: expected as-decided, candidate or now");
      return ExitCodes.BAD_INPUT;
    }
    // As decided, the log's snapshots say what to decide with; a candidate set uses their facts.
    if (replayMode != Replayer.Mode.NOW && workspace != null
        || replayMode == Replayer.Mode.AS_DECIDED && policies != null) {
      err.println("gatehouse replay: --mode " + mode + " decides with the log's snapshots; "
          + (workspace != null ? "--workspace" : "--policies") + " is for another mode");
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
    PolicySets sets;
    try {
      sets = replayMode == Replayer.Mode.AS_DECIDED ? new PolicySets(config.resolve((Path) null).compiler()) : null;
    } catch (ConfigException e) {
      err.println("gatehouse replay: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    PolicySet set = sets != null ? null : config.compile(policies, "replay", err);
    if (sets == null && set == null) {
      return ExitCodes.BAD_INPUT;
    }
    List<Change> changes = new ArrayList<>();
    List<Fault> faults = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    long read;
    // Decisions made with other workspace facts than this replay uses: a change among them may
    // come from the facts rather than from the policies. Decisions made without workspace facts
    // are replayed without them, whatever --workspace says.
    long[] otherFacts = {0};
    try (DecisionReader log = DecisionLogs.openReader(options)) {
      long total = log.count(query);
      Progress progress = new Progress(err, total);
      Replayer replayer = new Replayer();
      DecidedWith decidedWith = new DecidedWith(log);
      Workspace workspaceFacts = facts;
      long[] seen = {0};
      String replayedWith = facts == null ? null : facts.revision();
      log.forEach(query, logged -> {
        seen[0]++;
        progress.update(seen[0]);
        if (replayMode == Replayer.Mode.NOW && logged.workspaceRevision() != null
            && !logged.workspaceRevision().equals(replayedWith)) {
          otherFacts[0]++;
        }
        try {
          Replayer.Replay replay = replayer.replay(replayMode, logged,
              sets != null ? sets.deciding(logged, decidedWith) : set,
              replayMode == Replayer.Mode.NOW ? workspaceFacts : decidedWith.workspace(logged, null));
          if (replay.faults() != null && !replay.faults().isEmpty()) {
            faults.add(new Fault(logged.decisionId(), logged.gate(), logged.subject(), replay.faults()));
          } else if (replay.diff() != null && !replay.diff().unchanged()) {
            changes.add(new Change(logged.decisionId(), logged.gate(), logged.subject(),
                replay.diff().outcomeChanged(), replay.diff().originalOutcome().name(), replay.diff().replayedOutcome().name(),
                codes(replay.diff().reasonsAdded()), codes(replay.diff().reasonsRemoved()),
                replay.diff().checksFlipped()));
          }
        } catch (InvalidInputException e) {
          errors.add(logged.decisionId() + ": " + e.describe());
        } catch (DecidedWith.SnapshotMissingException | IllegalStateException e) {
          errors.add(logged.decisionId() + ": " + e.getMessage());
        }
      });
      progress.done();
      read = seen[0];
    }
    long replayed = read - errors.size();
    long outcomes = changes.stream().filter(Change::outcomeChanged).count();
    if (json) {
      ObjectNode report = Json.mapper().createObjectNode();
      report.put("mode", replayMode.jsonName()).put("read", read).put("replayed", replayed);
      if (sets != null) {
        report.set("faults", Json.mapper().valueToTree(faults));
      } else {
        report.put("changed", changes.size()).put("outcomesChanged", outcomes).put("revision", set.revision());
        report.set("changes", Json.mapper().valueToTree(changes));
      }
      ArrayNode failed = report.putArray("errors");
      errors.forEach(failed::add);
      out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    } else if (sets != null) {
      out.println("replayed " + replayed + " of " + read + " decisions as decided: "
          + (faults.isEmpty() ? "every one reproduced" : faults.size() + " determinism fault" + (faults.size() == 1 ? "" : "s"))
          + (errors.isEmpty() ? "" : ", " + errors.size() + " could not be replayed"));
      for (Fault f : faults) {
        f.faults().forEach(fault -> out.println("  " + f.decisionId() + "  " + f.gate() + " " + f.subject() + "  " + fault));
      }
      errors.forEach(e -> err.println("could not replay " + e));
    } else {
      out.println("replayed " + replayed + " of " + read + " decisions against " + set.revision() + " (" + config.policies(policies) + ")"
          + (replayMode == Replayer.Mode.CANDIDATE ? " over the facts they were decided with" : "") + ": "
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
          + "); their changes may come from the facts, not from the policies (--mode candidate uses those facts)");
    }
    return errors.isEmpty() && faults.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** The deciding policy sets of a replay as decided, each compiled once from its snapshot. */
  private static final class PolicySets {
    private final PolicyCompiler compiler;
    private final Map<String, PolicySet> compiled = new HashMap<>();

    PolicySets(PolicyCompiler compiler) {
      this.compiler = compiler;
    }

    /** @throws IllegalStateException when the snapshot of the deciding revision no longer compiles */
    PolicySet deciding(LoggedDecision logged, DecidedWith decidedWith) {
      PolicySet set = compiled.get(logged.policyRevision());
      if (set == null) {
        CompileResult result = compiler.compile(decidedWith.policies(logged));
        set = result.policySet().orElseThrow(() -> new IllegalStateException("policy revision "
            + logged.policyRevision() + " no longer compiles from its snapshot: " + result.errors().get(0).describe()));
        compiled.put(logged.policyRevision(), set);
      }
      return set;
    }
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
