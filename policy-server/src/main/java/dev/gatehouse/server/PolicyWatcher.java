package dev.gatehouse.server;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's active policy set in step with the policy directory: a file added, edited or
 * removed anywhere under it is compiled and, if it compiles, activated.
 *
 * <p>Changes are noticed by a {@link WatchService} over every subdirectory and, because a watch
 * service can miss events (overflow, editors that replace directories, network file systems), by
 * re-reading the directory every {@code recheck}. Both paths only recompile when the revision of the
 * files changed, so a broken set is compiled and reported once, not every second.
 *
 * <p>Reloads run on the watcher's own thread, never on an event loop.
 */
public final class PolicyWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);
  // Editors save in several steps (truncate, write, rename): wait for the burst to end.
  private static final long SETTLE_MILLIS = 50;

  private final PolicyEngine engine;
  private final ServerMetrics metrics;
  private final Duration recheck;
  private final Thread thread;
  private WatchService watcher;
  private volatile boolean running;
  // Only the watcher thread (or load() before it starts) touches this.
  private String lastSeen;

  /** A watcher that reloads {@code engine} from its directory. */
  public PolicyWatcher(PolicyEngine engine, ServerMetrics metrics, Duration recheck) {
    this.engine = engine;
    this.metrics = metrics;
    this.recheck = recheck;
    this.thread = new Thread(this::run, "gatehouse-policy-watcher");
    thread.setDaemon(true);
  }

  /** Loads the directory now, on the caller's thread: the first load, before any request. */
  public CompileResult load() {
    lastSeen = currentRevision();
    return reload();
  }

  /** Starts watching. */
  public void start() throws IOException {
    watcher = FileSystems.getDefault().newWatchService();
    registerTree(engine.directory());
    running = true;
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        LOG.debug("closing the policy watch service failed", e);
      }
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (running) {
      try {
        WatchKey key = watcher.poll(recheck.toMillis(), TimeUnit.MILLISECONDS);
        if (key != null) {
          drain(key);
          for (WatchKey more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS); more != null;
              more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) {
            drain(more);
          }
        }
        checkNow();
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The watcher must outlive any one bad reload, or edits would silently stop being picked up.
        LOG.error("policy watcher failed; will retry", e);
      }
    }
  }

  private void drain(WatchKey key) {
    Path dir = (Path) key.watchable();
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == ENTRY_CREATE && event.context() instanceof Path name && Files.isDirectory(dir.resolve(name))) {
        registerTree(dir.resolve(name));
      }
    }
    key.reset();
  }

  private void registerTree(Path root) {
    try (Stream<Path> dirs = Files.walk(root)) {
      for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        dir.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
      }
    } catch (IOException | RuntimeException e) {
      // The periodic re-check still sees changes under a directory that could not be watched.
      LOG.warn("cannot watch {} for changes: {}", root, e.getMessage());
    }
  }

  private void checkNow() {
    String revision = currentRevision();
    if (!Objects.equals(revision, lastSeen)) {
      lastSeen = revision;
      reload();
    }
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
