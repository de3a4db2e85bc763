package dev.gatehouse.bench;

import dev.gatehouse.model.Approval;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.nio.file.Path;
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
 * The {@code execute} gate of the bundled policies on a request of 25 facts, with trace and checks
 * on (they always are): one ALLOW case and one DENY case (the approval removed). Every fact comes
 * from the request (no workspace). {@code naive*} decide the same requests with {@link NaiveDrools}:
 * a stateless session of the same rules, no trace.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExecuteGateBenchmark {

  @Param("policies")
  public String policies;

  private PolicySet set;
  private NaiveDrools naive;
  private List<Fact> allowFacts;
  private List<Fact> denyFacts;
  private DecisionRequest allow;
  private DecisionRequest deny;

  @Setup
  public void setUp() throws Exception {
    set = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(PolicyFiles.read(Path.of(policies)))
        .policySet().orElseThrow(() -> new IllegalStateException("policies in " + policies + " do not compile"));
    try (var in = ExecuteGateBenchmark.class.getResourceAsStream("/execute-allow.json")) {
      allow = new RequestReader().readRequest(in.readAllBytes());
    }
    Facts f = allow.facts();
    List<Approval> withoutA17 = f.approvals().stream().filter(a -> !a.id().equals("A-17")).toList();
    deny = allow.withFacts(f.with(FactKind.APPROVALS, withoutA17));
    require(set.evaluate(allow), true);
    require(set.evaluate(deny), false);
    naive = NaiveDrools.build(Path.of(policies), "execute");
    allowFacts = allow.facts().sorted();
    denyFacts = deny.facts().sorted();
    if (!naiveAllow() || naiveDeny()) {
      throw new IllegalStateException("the naive baseline decides otherwise: " + naive.denied());
    }
  }

  private static void require(Decision decision, boolean allowed) {
    if (decision.allowed() != allowed) {
      throw new IllegalStateException("benchmark request gives " + decision.outcome() + ": " + decision.reasons());
    }
  }

  @Benchmark
  public Decision executeAllow() {
    return set.evaluate(allow);
  }

  @Benchmark
  public Decision executeDeny() {
    return set.evaluate(deny);
  }

  @Benchmark
  public boolean naiveAllow() {
    return naive.allows(allow, allowFacts);
  }

  @Benchmark
  public boolean naiveDeny() {
    return naive.allows(deny, denyFacts);
  }
}
