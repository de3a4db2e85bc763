package dev.gatehouse.server;


import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's active policy set in step with the policy directory: a file added, edited or
 * removed anywhere under it is compiled and, if it compiles, activated. The directory's revision
 * is its fingerprint, so only a real change recompiles. Reloads run on the watcher's own thread,
 * never on an event loop.
 */
public final class PolicyWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);

  private final PolicyEngine engine;
  private final ServerMetrics metrics;
  private final DirectoryWatcher watcher;

  /** A watcher that reloads {@code engine} from its directory. */
  public PolicyWatcher(PolicyEngine engine, ServerMetrics metrics, Duration recheck) {
    this.engine = engine;
    this.metrics = metrics;
    this.watcher = new DirectoryWatcher(
        engine.directory(), recheck, this::currentRevision, this::reload, "gatehouse-policy-watcher");
  }

  /** Loads the directory now, on the caller's thread: the first load, before any request. */
  public CompileResult load() {
    watcher.seen();
    return reload();
  }

  /** Starts watching. */
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

  private CompileResult reload() {
    String before = engine.active().map(PolicySet::revision).orElse(null);
    boolean failing = engine.lastReloadFailure().isPresent();
    CompileResult result = engine.reload();
    String after = engine.active().map(PolicySet::revision).orElse(null);
    if (result.succeeded()) {
      if (Objects.equals(before, after) && failing) {
        LOG.info("policy directory is back at the active revision {}; the reload error is cleared", after);
      } else if (!Objects.equals(before, after)) {
        metrics.reloaded(false);
        metrics.activated(after);
        PolicySet set = result.policySet().orElseThrow();
        LOG.info("activated policy revision {} ({} rules in {} files)", after, set.rules().size(), set.files().size());
      }
      result.issues().forEach(issue -> LOG.warn("policy {}", issue.describe()));
      return result;
    }
    metrics.reloaded(true);
    String serving = after == null ? "no policy set is active" : "still serving " + after;
    LOG.error("policy reload failed, {}: {} error(s)", serving, result.errors().size());
    for (CompileIssue issue : result.issues()) {
      LOG.error("policy {}", issue.describe());
    }
    return result;
  }
}
