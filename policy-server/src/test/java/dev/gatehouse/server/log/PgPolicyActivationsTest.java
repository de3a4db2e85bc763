package dev.gatehouse.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared active policy set: activations are numbered, announced at once, and seeded only once. */
class PgPolicyActivationsTest {

  @RegisterExtension static final TestPostgres.ClassDatabase database = new TestPostgres.ClassDatabase();

  @Test
  void aListenerHearsOfAnActivationAtOnceAndReadsItsFiles() throws Exception {
    PolicyActivations activations = PolicyActivations.open(database.freshSchema());
    Snapshot first = DecisionLogContract.snapshot(Snapshot.Kind.POLICY, "execute.drl", "rule \"a\" ...");
    Snapshot second = DecisionLogContract.snapshot(Snapshot.Kind.POLICY, "execute.drl", "rule \"b\" ...");
    try (PolicyActivations.Listener listener = activations.listen()) {
      assertThat(listener.newest()).isEmpty();
      assertThat(listener.await(Duration.ofMillis(50))).isFalse();

      CompletableFuture<Long> heard = CompletableFuture.supplyAsync(() -> {
        long since = System.nanoTime();
        try {
          assertThat(listener.await(Duration.ofSeconds(10))).isTrue();
        } catch (java.sql.SQLException e) {
          throw new AssertionError(e);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
      });
      Thread.sleep(200);
      PolicyActivations.Activation activation = activations.activate(first, "ops");

      assertThat(heard.get(10, TimeUnit.SECONDS)).as("ms until heard").isLessThan(1_000);
      assertThat(listener.newest()).contains(activation);
      DecisionLogContract.assertSame(listener.files(activation.revision()), first);
      PolicyActivations.Activation next = activations.activate(second, "ops");
      assertThat(next.id()).isGreaterThan(activation.id());
      assertThat(listener.newest()).contains(next);
      // Activating an earlier revision again is a new activation: a rollback is an activation too.
      assertThat(activations.activate(first, "ops").revision()).isEqualTo(first.revision());
      assertThat(listener.newest().orElseThrow().revision()).isEqualTo(first.revision());
      assertThatThrownBy(() -> listener.files("sha256:none")).hasMessageContaining("no files are stored");
    }
  }

  @Test
  void replicasStartingAtOnceSeedAnEmptyDatabaseOnce() throws Exception {
    PolicyActivations activations = PolicyActivations.open(database.freshSchema());
    Snapshot mine = DecisionLogContract.snapshot(Snapshot.Kind.POLICY, "execute.drl", "mine");
    Snapshot theirs = DecisionLogContract.snapshot(Snapshot.Kind.POLICY, "execute.drl", "theirs");

    CompletableFuture<PolicyActivations.Seed> a = CompletableFuture.supplyAsync(() -> seed(activations, mine));
    CompletableFuture<PolicyActivations.Seed> b = CompletableFuture.supplyAsync(() -> seed(activations, theirs));

    assertThat(a.get().activation()).isEqualTo(b.get().activation());
    assertThat(a.get().seeded()).isNotEqualTo(b.get().seeded());
    assertThat(seed(activations, theirs)).isEqualTo(new PolicyActivations.Seed(a.get().activation(), false));
  }

  private static PolicyActivations.Seed seed(PolicyActivations activations, Snapshot set) {
    try {
      return activations.activateIfNone(set, "seed");
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}
