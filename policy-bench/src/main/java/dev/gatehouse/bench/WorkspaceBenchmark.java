package dev.gatehouse.bench;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Evidence;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Run;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.rules.workspace.RequestFacts;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The {@code execute} gate in workspace mode, as the server decides (RequestFacts.decide: the
 * workspace's facts merged with the request's, provenance added), trace and checks on:
 *
 * <ul>
 *   <li>{@code workspace*}: the request brings no facts (ALLOW and DENY subjects);
 *   <li>{@code requestFacts}: a harness (a caller that supplies runs and evidence) brings a run and
 *       a piece of evidence of the subject (ALLOW);
 *   <li>{@code naive*}: the baseline, {@link NaiveDrools}, on the same facts: a stateless session
 *       given the request and every fact, the same rules, no trace.
 * </ul>
 *
 * <p>{@code workspace} is a directory, or {@code generated-N} for {@link GeneratedWorkspace} of N
 * issues (subjects GEN-00002 and GEN-00004 instead of DEMO-104 and DEMO-103).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WorkspaceBenchmark {

  @Param("policies")
  public String policies;

  @Param("examples/workspace")
  public String workspace;

  private PolicySet set;
  private Workspace loaded;
  private NaiveDrools naive;
  private final Caller reader = new Caller("bench", EnumSet.noneOf(FactKind.class));
  private final Caller harness = new Caller("harness", EnumSet.of(FactKind.RUNS, FactKind.EVIDENCE));
  private DecisionRequest allow;
  private DecisionRequest deny;
  private DecisionRequest allowWithFacts;
  private List<Fact> allowFacts;
  private List<Fact> denyFacts;
  private List<Fact> allowWithFactsFacts;

  @Setup
  public void setUp() throws Exception {
    set = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(PolicyFiles.read(Path.of(policies)))
        .policySet().orElseThrow(() -> new IllegalStateException("policies in " + policies + " do not compile"));
    String allowed = "DEMO-104";
    String denied = "DEMO-103";
    Instant at = Instant.parse("2026-06-02T10:00:00Z");
    Path dir = Path.of(workspace);
    if (workspace.startsWith("generated-")) {
      int n = Integer.parseInt(workspace.substring("generated-".length()));
      dir = GeneratedWorkspace.write(Files.createTempDirectory("gatehouse-bench-ws"), n);
      allowed = GeneratedWorkspace.id(2);
      denied = GeneratedWorkspace.id(4);
      at = Instant.parse("2027-06-01T00:00:00Z");
    }
    loaded = WorkspaceLoader.load(dir);
    if (!loaded.problems().isEmpty()) {
      throw new IllegalStateException("workspace " + dir + " has problems: " + loaded.problems());
    }
    naive = NaiveDrools.build(Path.of(policies), "execute");
    allow = new DecisionRequest("execute", allowed, at, "cto-harness", false, Facts.EMPTY);
    deny = new DecisionRequest("execute", denied, at, "cto-harness", false, Facts.EMPTY);
    allowWithFacts = allow.withFacts(Facts.of(List.of(
        new Run("R-900", allowed, "cto-harness", false, at.minusSeconds(3_600), List.of("src/main/java/A.java"), null),
        new Evidence("E-900", allowed, "harness-artifact", "runs/R-900/evidence.json", true, "after-run",
            at.minusSeconds(1_800), null))));
    allowFacts = loaded.facts().sorted();
    denyFacts = allowFacts;
    allowWithFactsFacts = loaded.facts().plus(RequestFacts.merge(allowWithFacts, null, harness).facts()).sorted();
    require(workspaceAllow(), true);
    require(workspaceDeny(), false);
    require(requestFacts(), true);
    if (!naiveAllow() || naiveDeny() || !naiveRequestFacts()) {
      throw new IllegalStateException("the naive baseline decides otherwise: " + naive.denied());
    }
  }

  private static void require(Decision decision, boolean allowed) {
    if (decision.allowed() != allowed) {
      throw new IllegalStateException("benchmark request gives " + decision.outcome() + ": " + decision.reasons());
    }
  }

  @Benchmark
  public Decision workspaceAllow() throws Exception {
    return RequestFacts.decide(set, allow, loaded, reader);
  }

  @Benchmark
  public Decision workspaceDeny() throws Exception {
    return RequestFacts.decide(set, deny, loaded, reader);
  }

  @Benchmark
  public Decision requestFacts() throws Exception {
    return RequestFacts.decide(set, allowWithFacts, loaded, harness);
  }

  @Benchmark
  public boolean naiveAllow() {
    return naive.allows(allow, allowFacts);
  }

  @Benchmark
  public boolean naiveDeny() {
    return naive.allows(deny, denyFacts);
  }

  @Benchmark
  public boolean naiveRequestFacts() {
    return naive.allows(allowWithFacts, allowWithFactsFacts);
  }
}
