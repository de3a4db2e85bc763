package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.server.config.ServerConfig;
import dev.gatehouse.server.decide.DecisionService.Basis;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DecisionPlacementTest {

  private static final long SHORT = DecisionPlacement.BUDGET_NANOS / 10;
  private static final long LONG = DecisionPlacement.BUDGET_NANOS + 1;

  private final AtomicBoolean busy = new AtomicBoolean();
  private final DecisionPlacement placement = new DecisionPlacement(busy::get);
  private final Basis basis = new Basis(compile(TestPolicies.EXECUTE), null);

  @Test
  void aGateGoesToTheEventLoopAfterAStreakOfShortDecisions() {
    shortOnes(basis, "execute", DecisionPlacement.STREAK - 1);
    assertThat(placement.onEventLoop(basis, "execute")).isFalse();

    shortOnes(basis, "execute", 1);
    assertThat(placement.onEventLoop(basis, "execute")).isTrue();
  }

  @Test
  void oneLongDecisionAnywhereSendsItsGateBackToTheWorkers() {
    shortOnes(basis, "execute", DecisionPlacement.STREAK);

    assertThat(placement.took(basis, "execute", LONG, false)).as("no overrun on a worker").isFalse();
    assertThat(placement.onEventLoop(basis, "execute")).isFalse();
    shortOnes(basis, "execute", DecisionPlacement.STREAK);
    assertThat(placement.onEventLoop(basis, "execute")).as("the same streak again").isTrue();
  }

  @Test
  void eachOverrunOnTheEventLoopDoublesTheStreakAGateNeeds() {
    shortOnes(basis, "execute", DecisionPlacement.STREAK);
    assertThat(placement.took(basis, "execute", LONG, true)).as("an overrun").isTrue();

    shortOnes(basis, "execute", 2 * DecisionPlacement.STREAK - 1);
    assertThat(placement.onEventLoop(basis, "execute")).isFalse();
    shortOnes(basis, "execute", 1);
    assertThat(placement.onEventLoop(basis, "execute")).isTrue();

    for (int overrun = 2; overrun <= DecisionPlacement.MAX_BACKOFF + 3; overrun++) {
      placement.took(basis, "execute", LONG, true);
    }
    int most = DecisionPlacement.STREAK << DecisionPlacement.MAX_BACKOFF;
    shortOnes(basis, "execute", most - 1);
    assertThat(placement.onEventLoop(basis, "execute")).isFalse();
    shortOnes(basis, "execute", 1);
    assertThat(placement.onEventLoop(basis, "execute")).as("the doubling stops at %d", most).isTrue();
  }

  @Test
  void gatesAreMeasuredApart() {
    shortOnes(basis, "execute", DecisionPlacement.STREAK);
    placement.took(basis, "merge", LONG, false);

    assertThat(placement.onEventLoop(basis, "execute")).isTrue();
    assertThat(placement.onEventLoop(basis, "merge")).isFalse();
  }

  @Test
  void undeclaredGatesShareOneRecord() {
    shortOnes(basis, "no-such-gate", DecisionPlacement.STREAK);

    assertThat(placement.onEventLoop(basis, "another-gate")).isTrue();
    assertThat(placement.onEventLoop(basis, "execute")).isFalse();
  }

  @Test
  void aNewPolicySetOrWorkspaceStartsOverOnTheWorkers() {
    shortOnes(basis, "execute", DecisionPlacement.STREAK);
    Basis reloaded = new Basis(compile(TestPolicies.EXECUTE + "\n// edited\n"), null);

    assertThat(placement.onEventLoop(reloaded, "execute")).isFalse();
    // A decision still finishing on the old set says nothing about the new one.
    shortOnes(basis, "execute", DecisionPlacement.STREAK);
    assertThat(placement.onEventLoop(reloaded, "execute")).isFalse();
    shortOnes(reloaded, "execute", DecisionPlacement.STREAK);
    assertThat(placement.onEventLoop(reloaded, "execute")).isTrue();
  }

  @Test
  void nothingGoesToTheEventLoopWhileAReloadOrCompileRuns() {
    shortOnes(basis, "execute", DecisionPlacement.STREAK);

    busy.set(true);
    assertThat(placement.onEventLoop(basis, "execute")).isFalse();
    busy.set(false);
    assertThat(placement.onEventLoop(basis, "execute")).isTrue();
  }

  @Test
  void onlySmallBodiesAreReadOnTheEventLoop() {
    assertThat(placement.small(DecisionPlacement.MAX_BODY)).isTrue();
    assertThat(placement.small(DecisionPlacement.MAX_BODY + 1)).isFalse();
  }

  @Test
  void readsTheCurrentThreadsCpuTime() throws Exception {
    long before = DecisionPlacement.now();
    long sum = 0;
    for (int i = 0; i < 5_000_000; i++) {
      sum += Integer.toString(i).length();
    }
    assertThat(sum).isPositive();
    assertThat(DecisionPlacement.now()).isGreaterThan(before);
  }

  private void shortOnes(Basis on, String gate, int decisions) {
    for (int i = 0; i < decisions; i++) {
      assertThat(placement.took(on, gate, SHORT, i % 2 == 0)).isFalse();
    }
  }

  private static PolicySet compile(String drl) {
    PolicyFiles files = PolicyFiles.of(Map.of("gates/execute.drl", drl.getBytes(StandardCharsets.UTF_8)));
    return ServerConfig.defaults(null).compiler().compile(files).policySet().orElseThrow();
  }
}
