package dev.gatehouse.server.watch;

import dev.gatehouse.rules.source.SourceTree;
import dev.gatehouse.rules.source.SourceTree.Stamp;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A tree's fingerprint, its revision, read again only when the tree's stamp says the files may
 * have changed: looking every second costs a listing, not reading and hashing every file.
 *
 * <p>Invariant: a revision is reused only while the stamp equals one taken before that revision
 * was read and settled when taken (see {@link Stamp}). Anything written after such a stamp
 * changes the stamp, so the reused revision is what the files hold. A stamp that is not settled,
 * or that cannot be taken, makes every look read the files, as a watcher did before stamps.
 *
 * <p>Not thread-safe: only its watcher's thread uses it, and the caller before that starts.
 */
final class Fingerprint implements Supplier<String> {

  private final SourceTree tree;
  private final Supplier<String> revision;
  private final Clock clock;
  // The settled stamp taken before cached was read, or null when there is none to trust.
  private Stamp stamp;
  private String cached;

  /** The fingerprint of {@code tree}, {@code revision} being its revision now (null when unreadable). */
  Fingerprint(SourceTree tree, Supplier<String> revision, Clock clock) {
    this.tree = tree;
    this.revision = revision;
    this.clock = clock;
  }

  @Override
  public String get() {
    // The time before the stamp is taken, so "settled" holds for the moment the metadata were read.
    Instant takenAt = clock.instant();
    Stamp now;
    try {
      now = tree.stamp();
    } catch (IOException | RuntimeException e) {
      now = null;
    }
    if (now != null && now.equals(stamp)) {
      return cached;
    }
    cached = revision.get();
    // A failed read is not kept: it may be passing (a file replaced under the reader).
    stamp = now != null && cached != null && now.settled(takenAt) ? now : null;
    return cached;
  }
}
