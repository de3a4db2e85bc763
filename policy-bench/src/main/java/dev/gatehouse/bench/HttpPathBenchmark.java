package dev.gatehouse.bench;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The JSON work of {@code POST /v1/decisions} outside the engine: reading the request bench/http-bench.sh
 * sends ({@code bench/execute-request.json}, 25 facts) into a {@link DecisionRequest}, and encoding the
 * execute gate's decision on it as the server answers it. Run from the repository root, e.g.
 * {@code GATEHOUSE_JMH_BENCHMARKS=HttpPathBenchmark bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HttpPathBenchmark {

  @Param("policies")
  public String policies;

  @Param("bench/execute-request.json")
  public String request;

  private final RequestReader reader = new RequestReader();
  private byte[] body;
  private Decision decision;

  @Setup
  public void setUp() throws Exception {
    body = Files.readAllBytes(Path.of(request));
    PolicySet set = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(PolicyFiles.read(Path.of(policies)))
        .policySet().orElseThrow(() -> new IllegalStateException("policies in " + policies + " do not compile"));
    decision = set.evaluate(reader.readRequest(body));
  }

  @Benchmark
  public DecisionRequest readRequest() throws Exception {
    return reader.readRequest(body);
  }

  @Benchmark
  public byte[] encodeDecision() throws Exception {
    return Json.mapper().writeValueAsBytes(decision);
  }
}
