package dev.gatehouse.server.watch;

import dev.gatehouse.server.metrics.ServerMetrics;
import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.PolicyEngine.Reload;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's active policy set in step with the policy directory: a file added, edited or
 * removed anywhere under it is compiled and, if it compiles, activated. The directory's revision
 * is its fingerprint, so only a real change recompiles; it is read only when the rule files'
 * stamp changed. Reloads run on the watcher's own thread, never on an event loop.
 *
 * <p>Only a revision that stayed unchanged for the settle interval is compiled, and only if the
 * directory still holds it once compiled is it activated (the engine checks): a rule file caught
 * half-written is never served. A set swapped in by renaming (a file, or a symbolic link to a
 * release directory) is seen whole at once.
 */
public final class PolicyWatcher implements PolicySource {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);
  private static final int MAX_RETRIES = 3;

  private final PolicyEngine engine;
  private final ServerMetrics metrics;
  private final DirectoryWatcher watcher;
  // Compiles of the current files that ran out of time in a row: retried a few times, not forever,
  // so a set that is simply too big does not keep a core busy.
  private int outOfTime;

  /**
   * A watcher that reloads {@code engine} from its directory, looking at least every
   * {@code recheck}, once the directory's content has not changed for {@code settle}.
   */
  public PolicyWatcher(PolicyEngine engine, ServerMetrics metrics, Duration recheck, Duration settle) {
    this.engine = engine;
    this.metrics = metrics;
    this.watcher = new DirectoryWatcher(PolicyFiles.tree(engine.directory()), recheck, settle, this::currentRevision,
        this::reload, "gatehouse-policy-watcher");
  }

  /** Loads the directory now, on the caller's thread: the first load, before any request. */
  @Override
  public Reload load() {
    watcher.seen();
    return reload(null);
  }

  @Override
  public boolean reloading() {
    return watcher.changing();
  }

  /** Starts watching. */
  @Override
  public void start() throws IOException {
    watcher.start();
  }

  @Override
  public void close() {
    watcher.close();
  }

  /** The revision the directory holds now, or null when it cannot be read (the reload reports why). */
  private String currentRevision() {
    try {
      return PolicyFiles.read(engine.directory()).revision();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Reloads, expecting the settled revision {@code seen} (null: whatever the directory holds). */
  private Reload reload(String seen) {
    boolean failing = engine.lastReloadFailure().isPresent();
    Reload reload = engine.reload(seen);
    if (!reload.compiled().outOfTime()) {
      outOfTime = 0;
    }
    switch (reload.status()) {
      case ACTIVATED -> {
        metrics.reloaded(false);
        metrics.activated(reload.revision());
        PolicySet set = reload.compiled().policySet().orElseThrow();
        LOG.info("activated policy revision {} ({} rules in {} files)", reload.revision(), set.rules().size(),
            set.files().size());
        reload.compiled().issues().forEach(issue -> LOG.warn("policy {}", issue.describe()));
      }
      case UNCHANGED -> {
        if (failing) {
          LOG.info("policy directory is back at the active revision {}; the reload error is cleared", reload.revision());
        }
      }
      case SUPERSEDED -> {
        metrics.superseded();
        LOG.info("policy revision {} changed while it was compiled; not activated, waiting for the directory to settle",
            reload.revision());
      }
      case FAILED -> {
        metrics.reloaded(true);
        String serving = engine.active().map(s -> "still serving " + s.revision()).orElse("no policy set is active");
        LOG.error("policy reload failed, {}: {} error(s)", serving, reload.compiled().errors().size());
        for (CompileIssue issue : reload.compiled().issues()) {
          LOG.error("policy {}", issue.describe());
        }
        if (reload.compiled().outOfTime() && ++outOfTime <= MAX_RETRIES) {
          LOG.warn("the compile ran out of time, perhaps for the machine's load: compiling the same files again ({} of {})",
              outOfTime, MAX_RETRIES);
          watcher.retry();
        }
      }
    }
    return reload;
  }
}
