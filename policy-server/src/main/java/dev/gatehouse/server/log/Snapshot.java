package dev.gatehouse.server.log;

import dev.gatehouse.rules.source.SourceTree;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files one revision was made from — a policy set's rule files or a workspace's files — as the
 * log keeps them: once per revision, however many decisions used it, so a decision can be decided
 * again from exactly what it was decided from.
 *
 * @param kind what the files are
 * @param revision {@link SourceTree#revision} of the files: the key they are stored under
 * @param files the files' contents by relative path, sorted
 */
public record Snapshot(Kind kind, String revision, SortedMap<String, byte[]> files) {

  /** What a snapshot holds. */
  public enum Kind {
    /** The rule files of a policy set. */
    POLICY,
    /** The files a workspace's facts were read from. */
    WORKSPACE
  }

  public Snapshot {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(revision, "revision");
    // Not copied: the files are those of an immutable policy set or workspace, handed over on
    // every decision, and copying them there would cost each decision what only a new revision needs.
    files = Collections.unmodifiableSortedMap(files);
  }

  /**
   * The snapshot of {@code files} as stored under {@code revision}.
   *
   * @throws IllegalStateException when the files do not hash to {@code revision}: the stored
   *     snapshot was altered
   */
  static Snapshot verified(Kind kind, String revision, TreeMap<String, byte[]> files) {
    String actual = SourceTree.revision(files);
    if (!actual.equals(revision)) {
      throw new IllegalStateException("the stored snapshot of " + revision + " holds files of " + actual
          + ": it was altered");
    }
    return new Snapshot(kind, revision, files);
  }

  /** How many bytes the files hold, uncompressed. */
  public long size() {
    return files.values().stream().mapToLong(b -> b.length).sum();
  }
}
