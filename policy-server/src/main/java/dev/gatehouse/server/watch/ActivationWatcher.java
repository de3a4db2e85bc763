package dev.gatehouse.server.watch;

import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.PolicyEngine.Reload;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.server.log.PolicyActivations;
import dev.gatehouse.server.log.PolicyActivations.Activation;
import dev.gatehouse.server.log.Snapshot;
import dev.gatehouse.server.metrics.ServerMetrics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's active policy set in step with the database that replicas share: the newest
 * activation ({@code POST /v1/policies/activate} on any replica) is compiled here and, if it
 * compiles, activated. Activations are heard of by PostgreSQL {@code LISTEN}/{@code NOTIFY} at once,
 * and looked for every {@link #POLL} as well, so a replica that missed a notification (its
 * connection was down) still switches within the poll interval plus a compile.
 *
 * <p>A replica that cannot compile the activated set keeps deciding with its last set and is not
 * ready, with the reason, until a set it can compile is activated (as with a policy directory).
 * While the database cannot be reached it keeps its set and tries again every {@link #POLL}; the
 * decision log makes it not ready meanwhile.
 *
 * <p>An empty database is seeded by the first replica that starts: it activates its policy
 * directory's set, if that compiles; replicas starting at once take turns, so exactly one seeds.
 * After that the directory is not read: activations change the set.
 */
public final class ActivationWatcher implements PolicySource {

  private static final Logger LOG = LoggerFactory.getLogger(ActivationWatcher.class);

  /** How often the database is asked for the active set when no notification came. */
  static final Duration POLL = Duration.ofSeconds(1);

  private final PolicyEngine engine;
  private final ServerMetrics metrics;
  private final PolicyActivations activations;
  private final String seeder;
  private final PolicyActivations.Listener listener;
  private final Thread thread;
  private volatile boolean running;
  // True while an activated set compiles: decisions keep off the event loops then.
  private volatile boolean compiling;
  // The activation this replica last took up, activated or failed: only a newer one is compiled.
  // Written by load() before the thread starts, then by the thread only.
  private long seen = -1;

  /**
   * A watcher that activates in {@code engine} what is activated in {@code activations}; {@code
   * seeder} names this replica in the activation it makes when it seeds an empty database.
   */
  public ActivationWatcher(PolicyEngine engine, ServerMetrics metrics, PolicyActivations activations, String seeder) {
    this.engine = engine;
    this.metrics = metrics;
    this.activations = activations;
    this.seeder = seeder;
    this.listener = activations.listen();
    this.thread = new Thread(this::run, "gatehouse-policy-activations");
    thread.setDaemon(true);
  }

  /**
   * Activates the database's active set, or seeds an empty database from the policy directory.
   *
   * @throws dev.gatehouse.server.log.LogUnavailableException when the database cannot be reached
   */
  @Override
  public Reload load() {
    try {
      Optional<Activation> newest = listener.newest();
      if (newest.isEmpty()) {
        Reload local = engine.reload();
        report(local, null);
        Optional<PolicySet> set = engine.active();
        if (set.isEmpty()) {
          LOG.warn("the database holds no active policy set and the policy directory {} does not compile:"
              + " no set is active until one is activated (POST /v1/policies/activate)", engine.directory());
          return local;
        }
        PolicyActivations.Seed seed = activations.activateIfNone(snapshot(set.get()), seeder);
        if (seed.seeded()) {
          LOG.info("seeded the shared policy set with revision {} from {} (activation {})",
              seed.activation().revision(), engine.directory(), seed.activation().id());
        }
        if (seed.activation().revision().equals(set.get().revision())) {
          seen = seed.activation().id();
          return local;
        }
        newest = Optional.of(seed.activation());
      }
      return take(newest.get());
    } catch (SQLException e) {
      throw activations.unreachable("read the active policy set", e);
    }
  }

  @Override
  public boolean reloading() {
    return compiling;
  }

  @Override
  public void start() {
    running = true;
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    listener.close();
  }

  private void run() {
    String unreachable = null;
    while (running) {
      try {
        listener.await(POLL);
        Optional<Activation> newest = listener.newest();
        if (newest.isPresent() && newest.get().id() != seen) {
          take(newest.get());
        }
        if (unreachable != null) {
          LOG.info("the shared policy set can be read again from {}", activations.url());
          unreachable = null;
        }
      } catch (SQLException e) {
        if (unreachable == null) {
          LOG.warn("cannot read the shared policy set from {}, still serving {}; retrying every {} ms: {}",
              activations.url(), engine.active().map(PolicySet::revision).orElse("no policy set"), POLL.toMillis(),
              e.getMessage());
        }
        unreachable = e.getMessage();
        if (!pause()) {
          return;
        }
      } catch (Throwable e) {
        if (!running) {
          return;
        }
        // Never let the thread die: a dead watcher would freeze this replica at its last set.
        LOG.error("taking up the shared policy set failed; will retry in {} ms", POLL.toMillis(), e);
        if (!pause()) {
          return;
        }
      }
    }
  }

  /** Waits one poll interval; false when closed meanwhile. */
  private boolean pause() {
    try {
      Thread.sleep(POLL.toMillis());
      return running;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Compiles and activates the set of {@code activation}; records it as seen, whether it compiled or not. */
  private Reload take(Activation activation) throws SQLException {
    Snapshot files;
    try {
      files = listener.files(activation.revision());
    } catch (IllegalStateException altered) {
      String message = "policy revision " + activation.revision() + " (activation " + activation.id()
          + ") cannot be activated: " + altered.getMessage();
      engine.refuse(activation.revision(), message);
      metrics.reloaded(true);
      LOG.error("{}; still serving {}", message, engine.active().map(PolicySet::revision).orElse("no policy set"));
      seen = activation.id();
      CompileIssue issue = new CompileIssue("", 0, 0, CompileIssue.Severity.ERROR, message);
      return new Reload(Reload.Status.FAILED, activation.revision(), new CompileResult(Optional.empty(), List.of(issue)));
    }
    Reload reload;
    compiling = true;
    try {
      reload = engine.activate(PolicyFiles.of(files.files()));
    } finally {
      compiling = false;
    }
    report(reload, activation);
    seen = activation.id();
    return reload;
  }

  private void report(Reload reload, Activation activation) {
    String from = activation == null ? "policy directory " + engine.directory()
        : "activation " + activation.id() + " by " + activation.activatedBy();
    switch (reload.status()) {
      case ACTIVATED -> {
        metrics.reloaded(false);
        metrics.activated(reload.revision());
        PolicySet set = reload.compiled().policySet().orElseThrow();
        LOG.info("activated policy revision {} ({} rules in {} files) from {}", reload.revision(), set.rules().size(),
            set.files().size(), from);
      }
      case UNCHANGED, SUPERSEDED -> {
        // The set is active already, or the directory changed under the seed's compile: nothing to say.
      }
      case FAILED -> {
        metrics.reloaded(true);
        String serving = engine.active().map(s -> "still serving " + s.revision()).orElse("no policy set is active");
        LOG.error("policy revision {} from {} does not compile here, {}: {} error(s)", reload.revision(), from, serving,
            reload.compiled().errors().size());
        for (CompileIssue issue : reload.compiled().issues()) {
          LOG.error("policy {}", issue.describe());
        }
      }
    }
  }

  private static Snapshot snapshot(PolicySet set) {
    return new Snapshot(Snapshot.Kind.POLICY, set.revision(), set.files().files());
  }
}
