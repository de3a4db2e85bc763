package dev.gatehouse.server.watch;

import dev.gatehouse.rules.source.SourceTree;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workspace a server decides with, kept in step with its directory. A file that breaks keeps
 * its last good facts (the loader's reload does that) and is reported in {@link #current()}'s
 * problems; a decision uses the workspace that was current when it started.
 */
public final class WorkspaceWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkspaceWatcher.class);

  private final Path directory;
  private final SourceTree tree;
  private final AtomicReference<Workspace> current = new AtomicReference<>();
  private final DirectoryWatcher watcher;

  /**
   * A workspace read from {@code directory}, re-read once its files stayed unchanged for
   * {@code settle}.
   */
  public WorkspaceWatcher(Path directory, Duration recheck, Duration settle) {
    this.directory = directory;
    this.tree = WorkspaceLoader.tree(directory);
    this.watcher = new DirectoryWatcher(tree, recheck, settle, this::revision, seen -> reload(),
        "gatehouse-workspace-watcher");
  }

  /** Loads the workspace now, on the caller's thread. */
  public Workspace load() throws IOException {
    watcher.seen();
    Workspace loaded = WorkspaceLoader.load(directory);
    current.set(loaded);
    report(loaded);
    return loaded;
  }

  /** Whether it is loading a changed workspace now. */
  public boolean reloading() {
    return watcher.changing();
  }

  /** Starts watching. */
  public void start() throws IOException {
    watcher.start();
  }

  /** The workspace in use. */
  public Workspace current() {
    return current.get();
  }

  /** The workspace directory. */
  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    watcher.close();
  }

  private void reload() {
    try {
      Workspace loaded = WorkspaceLoader.reload(current.get(), directory);
      Workspace before = current.getAndSet(loaded);
      if (before == null || !before.revision().equals(loaded.revision())) {
        LOG.info("workspace {} is now at revision {} ({} facts)", directory, loaded.revision(), loaded.facts().size());
      }
      report(loaded);
    } catch (IOException e) {
      LOG.error("cannot read workspace {}: {}; keeping the last one", directory, e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      // A loader fault must not stop the watcher: the next edit gets another try.
      LOG.error("reading workspace {} failed; keeping the last one", directory, e);
    }
  }

  private static void report(Workspace workspace) {
    workspace.problems().forEach(p -> LOG.warn("workspace {}", p.describe()));
  }

  /**
   * What the workspace files hold on disk, to tell the watcher that something changed: their
   * revision (not {@link Workspace#revision()}, which counts a broken file at its last good
   * content). While a file cannot be read (a problem of that file; the rest still loads) their
   * stamp stands in, so an edit elsewhere is still seen. Null when the directory cannot be listed.
   */
  private String revision() {
    try {
      return SourceTree.revision(tree.read());
    } catch (IOException | RuntimeException unreadable) {
      try {
        return "unreadable " + tree.stamp().digest();
      } catch (IOException | RuntimeException unlisted) {
        return null;
      }
    }
  }
}
