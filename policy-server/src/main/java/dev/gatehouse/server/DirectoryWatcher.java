package dev.gatehouse.server;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

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
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onChange} on its own thread when the content of a directory tree changes.
 *
 * <p>Changes are noticed by a {@link WatchService} over every subdirectory and, because a watch
 * service can miss events (overflow, editors that replace directories, network file systems), by
 * re-reading the directory's fingerprint every {@code recheck}. Both paths only call
 * {@code onChange} when the fingerprint differs from the last one seen, so a broken file is
 * reported once, not every second.
 */
final class DirectoryWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
  // Editors save in several steps (truncate, write, rename): wait for the burst to end.
  private static final long SETTLE_MILLIS = 50;

  private final Path directory;
  private final Duration recheck;
  private final Supplier<String> fingerprint;
  private final Runnable onChange;
  private final Thread thread;
  private WatchService watcher;
  private volatile boolean running;
  // Only the watcher thread (or seen() before it starts) touches this.
  private String lastSeen;

  /**
   * A watcher of {@code directory}; {@code fingerprint} names its current content (null when it
   * cannot be read), {@code onChange} runs when that changes.
   */
  DirectoryWatcher(Path directory, Duration recheck, Supplier<String> fingerprint, Runnable onChange, String name) {
    this.directory = directory;
    this.recheck = recheck;
    this.fingerprint = fingerprint;
    this.onChange = onChange;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  /** Records the current content as seen, before a first load on the caller's thread. */
  void seen() {
    lastSeen = fingerprint.get();
  }

  /** Starts watching. */
  void start() throws IOException {
    watcher = FileSystems.getDefault().newWatchService();
    registerTree(directory);
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
        LOG.debug("closing the watch service of {} failed", directory, e);
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
        String now = fingerprint.get();
        if (!Objects.equals(now, lastSeen)) {
          lastSeen = now;
          onChange.run();
        }
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The watcher must outlive any one bad reload, or edits would silently stop being picked up.
        LOG.error("watching {} failed; will retry", directory, e);
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
}
