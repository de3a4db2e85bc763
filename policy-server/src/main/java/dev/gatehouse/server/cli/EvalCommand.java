package dev.gatehouse.server.cli;

import dev.gatehouse.server.files.FileErrors;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.rules.workspace.FactsNotPermittedException;
import dev.gatehouse.rules.workspace.RequestFacts;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import dev.gatehouse.server.decide.DecisionService;
import dev.gatehouse.server.log.DecisionLog;
import dev.gatehouse.server.log.LogOptions;
import dev.gatehouse.server.log.SqliteDecisionLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse eval}: answers one request, as text or as the JSON the HTTP API returns. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate one request. Exit 0 for ALLOW, 1 for DENY, 2 for bad input.")
final class EvalCommand implements Callable<Integer> {

  @Option(names = "--request", paramLabel = "FILE", description = "Request JSON file ('-' for standard input).")
  String requestFile;

  @Option(names = "--policies", paramLabel = "DIR", description = "Policy directory (default: the bundled policies/).")
  Path policies;

  @Option(names = "--gate", description = "Gate to ask, overriding the request's.")
  String gate;

  @Option(names = "--subject", description = "Issue id to ask about, overriding the request's.")
  String subject;

  @Option(names = "--at", paramLabel = "TIME", description = "Evaluation time (ISO-8601), overriding the request's; default now.")
  String at;

  @Option(names = "--actor", description = "Actor, overriding the request's.")
  String actor;

  @Option(names = "--json", description = "Print the decision as JSON.")
  boolean json;

  @Option(names = "--workspace", paramLabel = "DIR", description = "Governance files to decide from (planning markdown, fact files).")
  Path workspace;

  @Option(names = "--supplies", paramLabel = "KINDS", defaultValue = "none",
      description = "Fact kinds the request may carry while a workspace is in use, as a token's supplies do"
          + " (comma list, e.g. runs,evidence; default: ${DEFAULT-VALUE}).")
  String supplies;

  @Option(names = "--workspace-only", paramLabel = "KINDS", hidden = true)
  String workspaceOnly;

  @Option(names = "--log", description = "Also write the decision to the decision log in --data.")
  boolean log;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "data", description = "Data directory of the decision log (default: ${DEFAULT-VALUE}).")
  Path data;

  @Mixin ConfigOption config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DecisionRequest asked;
    try {
      asked = request();
    } catch (InvalidInputException e) {
      err.println("gatehouse eval: " + e.describe());
      return ExitCodes.BAD_INPUT;
    } catch (IOException e) {
      err.println("gatehouse eval: cannot read request: " + FileErrors.describe(e));
      return ExitCodes.BAD_INPUT;
    }
    PolicySet set = config.compile(policies, "eval", err);
    if (set == null) {
      return ExitCodes.BAD_INPUT;
    }
    Workspace loaded = workspace == null ? null : WorkspaceLoader.load(workspace);
    if (loaded != null) {
      loaded.problems().forEach(p -> err.println("warning: " + p.describe()));
    }
    if (workspaceOnly != null) {
      err.println("gatehouse eval: --workspace-only is gone: with --workspace, the request may carry only the"
          + " fact kinds given with --supplies (none by default)");
      return ExitCodes.BAD_INPUT;
    }
    Set<FactKind> kinds;
    try {
      kinds = RequestFacts.parseKinds(supplies);
    } catch (InvalidInputException e) {
      err.println("gatehouse eval: --supplies: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    Decision decision;
    try (DecisionLog decisions = log ? SqliteDecisionLog.open(LogOptions.defaults(data)) : null) {
      DecisionService service = new DecisionService(() -> Optional.of(set), () -> loaded,
          Optional.ofNullable(decisions), Clock.systemUTC());
      Caller caller = new Caller("cli:" + System.getProperty("user.name"), kinds);
      decision = service.decide(asked, caller, Runnable::run).join().decision();
    } catch (CompletionException e) {
      if (e.getCause() instanceof InvalidInputException invalid) {
        err.println("gatehouse eval: " + invalid.describe());
      } else if (e.getCause() instanceof FactsNotPermittedException refused) {
        err.println("gatehouse eval: " + refused.describe());
      } else {
        err.println("gatehouse eval: the decision was not logged: " + e.getCause().getMessage());
      }
      return ExitCodes.BAD_INPUT;
    } catch (RuntimeException e) {
      err.println("gatehouse eval: the decision log cannot be opened: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (json) {
      out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(decision));
    } else {
      out.print(DecisionText.render(decision));
    }
    out.flush();
    return decision.allowed() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private DecisionRequest request() throws IOException, InvalidInputException {
    DecisionRequest base;
    if (requestFile != null) {
      byte[] bytes = "-".equals(requestFile) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(requestFile));
      base = new RequestReader().readRequest(bytes);
    } else {
      if (gate == null || subject == null) {
        throw new InvalidInputException("", "give --request FILE, or --gate and --subject");
      }
      base = new DecisionRequest(gate, subject, null, actor, false, Facts.EMPTY);
    }
    Instant time = at != null ? RequestReader.parseInstant("--at", at) : base.at();
    return new DecisionRequest(
        gate != null ? gate : base.gate(),
        subject != null ? subject : base.subject(),
        time != null ? time : Instant.now(),
        actor != null ? actor : base.actor(),
        base.runtimeDefaultActivation(),
        base.facts());
  }
}
