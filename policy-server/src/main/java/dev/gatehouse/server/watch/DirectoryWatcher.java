package dev.gatehouse.server.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.source.SourceTree;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onChange} on its own thread when the content of a directory tree has changed and
 * then stayed unchanged for the settle interval.
 *
 * <p>Changes are noticed by a {@link WatchService} over every directory the tree lists and,
 * because a watch service can miss events (overflow, editors that replace directories, network
 * file systems, a directory swapped by a symbolic link), by looking at the directory's
 * fingerprint every {@code recheck}; a {@link Fingerprint} reads the files only when their stamp
 * changed. Both paths only call {@code onChange} when the fingerprint differs from the last one
 * seen, so a broken file is reported once, not every second.
 *
 * <p>Invariant: {@code onChange} is only given a fingerprint that was read twice, {@code settle}
 * apart, the same both times: a file still being written is not handed on while its writer keeps
 * changing it at least once per settle interval. Watch events only wake the watcher; they do not
 * prolong the interval, so a file outside the fingerprint (a log, an editor's swap file) written
 * all the time cannot hold reloads off.
 *
 * <p>Invariant: the thread only stops when the watcher is closed. Anything {@code onChange} or the
 * fingerprint throws is logged and watching goes on (a dead watcher would silently freeze the
 * directory's content at its last reload).
 */
final class DirectoryWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);

  private final SourceTree tree;
  private final Path directory;
  private final Duration recheck;
  private final Duration settle;
  private final Supplier<String> fingerprint;
  private final Consumer<String> onChange;
  private final Thread thread;
  private WatchService watcher;
  private volatile boolean running;
  // True while onChange runs (a reload compiling or loading): decisions keep off the event loops then.
  private volatile boolean changing;
  // Only the watcher thread (or seen() and start() before it starts) touches these.
  private String lastSeen;
  private final Set<WatchKey> keys = new HashSet<>();
  private Object watchedTarget;

  /**
   * A watcher of {@code tree}; {@code revision} names its current content (null when it cannot be
   * read), {@code onChange} gets that revision once it changed and then stayed the same for
   * {@code settle}.
   */
  DirectoryWatcher(SourceTree tree, Duration recheck, Duration settle, Supplier<String> revision,
      Consumer<String> onChange, String name) {
    this.tree = tree;
    this.directory = tree.directory();
    this.recheck = recheck;
    this.settle = settle;
    this.fingerprint = new Fingerprint(tree, revision, Clock.systemUTC());
    this.onChange = onChange;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  /** Whether {@code onChange} is running: the content changed and is being handed on. */
  boolean changing() {
    return changing;
  }

  /** Records the current content as seen, before a first load on the caller's thread. */
  void seen() {
    lastSeen = fingerprint.get();
  }

  /** Hands the current content on again at the next recheck, although it did not change. */
  void retry() {
    lastSeen = null;
  }

  /** Starts watching. */
  void start() throws IOException {
    watcher = FileSystems.getDefault().newWatchService();
    rewatchIfMoved();
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
    // After a change was handed on, look again at once: the directory may have changed meanwhile.
    boolean lookAgain = false;
    while (running) {
      try {
        if (!lookAgain) {
          WatchKey key = watcher.poll(recheck.toMillis(), TimeUnit.MILLISECONDS);
          if (key != null) {
            drain(key);
          }
        }
        lookAgain = false;
        rewatchIfMoved();
        String now = fingerprint.get();
        if (Objects.equals(now, lastSeen)) {
          continue;
        }
        String settled = settled(now);
        lastSeen = settled;
        changing = true;
        try {
          onChange.accept(settled);
        } finally {
          changing = false;
        }
        lookAgain = true;
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return;
      } catch (Throwable e) {
        if (PolicyEngine.fatal(e)) {
          // The JVM itself failed (out of memory, most likely): try the same content again at the
          // next recheck rather than never; if it keeps failing, the log says so every time.
          lastSeen = null;
          LOG.error("watching {} failed; will retry in {} ms", directory, recheck.toMillis(), e);
        } else {
          LOG.error("watching {} failed; still watching", directory, e);
        }
      }
    }
  }

  /** Waits until the fingerprint is the same at both ends of a settle interval, and returns it. */
  private String settled(String first) throws InterruptedException {
    String before = first;
    while (true) {
      pause();
      rewatchIfMoved();
      String after = fingerprint.get();
      if (Objects.equals(before, after)) {
        return after;
      }
      before = after;
    }
  }

  /** Waits one settle interval, taking the watch events that arrive meanwhile (new directories get watched). */
  private void pause() throws InterruptedException {
    long deadline = System.nanoTime() + settle.toNanos();
    for (long left = settle.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      WatchKey key = watcher.poll(left, TimeUnit.NANOSECONDS);
      if (key == null) {
        return;
      }
      drain(key);
    }
  }

  private void drain(WatchKey key) {
    Path dir = (Path) key.watchable();
    boolean created = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      created |= event.kind() == ENTRY_CREATE && event.context() instanceof Path name
          && Files.isDirectory(dir.resolve(name));
    }
    if (created) {
      // The tree decides which directories count (not hidden ones); those watched already keep their keys.
      registerTree();
    }
    if (!key.reset()) {
      keys.remove(key);
    }
  }

  /**
   * Watches the directory's current target when it is not the one watched: a watch service follows
   * the inodes it registered, so after {@code policies} is pointed elsewhere (a symbolic link
   * switched, a directory renamed into place) it would report the old target's changes only.
   */
  private void rewatchIfMoved() {
    Object target = target();
    if (target != null && Objects.equals(target, watchedTarget)) {
      return;
    }
    keys.forEach(WatchKey::cancel);
    keys.clear();
    watchedTarget = target;
    if (target != null) {
      registerTree();
    }
  }

  /** The identity (device and inode, where the file system has them) of what the directory names now. */
  private Object target() {
    try {
      BasicFileAttributes attributes = Files.readAttributes(directory, BasicFileAttributes.class);
      Object key = attributes.fileKey();
      return key != null ? key : directory.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  private void registerTree() {
    try {
      for (Path dir : tree.directories()) {
        keys.add(dir.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE));
      }
    } catch (IOException | RuntimeException e) {
      // The periodic re-check still sees changes under a directory that could not be watched.
      LOG.warn("cannot watch {} for changes: {}", directory, e.getMessage());
    }
  }
}
