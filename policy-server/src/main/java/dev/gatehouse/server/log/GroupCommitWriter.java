package dev.gatehouse.server.log;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The single writer thread of a log: it takes every decision waiting (up to a batch), has its
 * {@link BatchWriter} write them in one transaction, and completes their futures after the commit
 * returned, so one commit (and one disk flush, where the store flushes) serves the whole batch.
 * Retention steps and the end of each checkpoint run on the same thread between batches.
 */
final class GroupCommitWriter {

  /**
   * While the last write failed, how often the writer tries a write of its own. Readiness must
   * recover without decisions: a load balancer sends none to a server that is not ready.
   */
  private static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private sealed interface Work permits Append, Sweep, Checkpoint, Stop {}

  private record Append(LoggedDecision decision, List<Snapshot> snapshots, CompletableFuture<Void> done,
      Executor completion) implements Work {}

  private record Sweep(CompletableFuture<Long> done) implements Work {}

  private record Checkpoint(boolean waitForReaders) implements Work {}

  private record Stop() implements Work {}

  private final BatchWriter store;
  private final Retention retention;
  private final long retentionIntervalNanos;
  private final int capacity;
  private final int maxBatch;
  // The queue is unbounded so that a sweep or a stop is never refused; appends are bounded by
  // permits instead.
  private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
  // Invariant: available permits + appends queued or being written == capacity. A permit is
  // returned once its append is committed or failed.
  private final Semaphore permits;
  // Appends and sweeps enqueue under the read lock, close under the write lock, so nothing is
  // enqueued behind the Stop where the thread would never see it.
  private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
  private volatile boolean closed;
  // Why the last write failed; null once a later write or probe succeeded.
  private volatile String writeFailure;
  // Why the last retention sweep failed; null once a later sweep step succeeded. Kept apart from
  // writeFailure: a sweep that works says nothing about writes, nor a commit about retention.
  private volatile String sweepFailure;
  private final AtomicBoolean checkpointQueued = new AtomicBoolean();
  // Written by the writer thread only, read by metrics scrapes: one snapshot replaced per commit,
  // so each read sees counts and time of the same commits.
  private volatile LogCommits commits = new LogCommits(0, 0, 0);
  // The revisions whose snapshots are committed, so that each is written once rather than per
  // decision; written and read by the writer thread only. Forgetting one costs one INSERT OR IGNORE.
  private final Set<String> storedSnapshots = new HashSet<>();
  // The largest row of the last batch that failed, as text: a probe makes room for one as big.
  private int probeBytes;
  // The writer's timed work, on its own thread: the next retention sweep (when retention is
  // configured) and, while writes fail, the next probe.
  private long nextSweep;
  private long nextProbe;
  private final Thread thread;

  GroupCommitWriter(BatchWriter store, LogOptions options) {
    this.store = store;
    this.retention = new Retention(options.maxAge(), options.maxRows());
    this.retentionIntervalNanos = options.retentionInterval().toNanos();
    this.capacity = options.queueCapacity();
    this.maxBatch = options.maxBatch();
    this.permits = new Semaphore(capacity);
    this.thread = new Thread(this::run, "decision-log-writer");
    // A daemon: nothing is lost if the JVM exits without close(), since no future of an
    // uncommitted decision has completed, so no such decision was answered.
    thread.setDaemon(true);
    thread.start();
  }

  CompletableFuture<Void> append(LoggedDecision decision, List<Snapshot> snapshots, Executor completion) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    RuntimeException refused;
    admission.readLock().lock();
    try {
      if (closed) {
        refused = closedException();
      } else if (!permits.tryAcquire()) {
        refused = LogUnavailableException.overloaded(capacity);
      } else {
        queue.add(new Append(decision, List.copyOf(snapshots), done, completion));
        return done;
      }
    } finally {
      admission.readLock().unlock();
    }
    complete(completion, List.of(() -> done.completeExceptionally(refused)));
    return done;
  }

  /** Runs a whole retention sweep on the writer thread, between group commits, and waits for it. */
  long enforceRetention() {
    if (!retention.configured()) {
      return 0;
    }
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (!enqueue(new Sweep(done))) {
      throw closedException();
    }
    try {
      return done.join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  /**
   * Asks for a checkpoint between two group commits that ends a checkpointer round; at most one
   * waits at a time. Run there, no commit can append to the WAL during it, so it copies the WAL to
   * its end and SQLite starts the WAL over at the next commit, unless a reader still reads older
   * frames.
   *
   * @param waitForReaders wait for such readers (up to the busy timeout, holding commits back), so
   *     that the WAL starts over even while reads never pause
   */
  void requestCheckpoint(boolean waitForReaders) {
    if (checkpointQueued.compareAndSet(false, true) && !enqueue(new Checkpoint(waitForReaders))) {
      checkpointQueued.set(false);
    }
  }

  /** Queues work for the writer thread unless the log is closed; returns whether it did. */
  private boolean enqueue(Work work) {
    admission.readLock().lock();
    try {
      if (closed) {
        return false;
      }
      queue.add(work);
      return true;
    } finally {
      admission.readLock().unlock();
    }
  }

  LogCommits commits() {
    return commits;
  }

  LogHealth health() {
    int depth = capacity - permits.availablePermits();
    return new LogHealth(closed, writeFailure, sweepFailure, depth, capacity);
  }

  /** Stops taking work, lets the thread commit what is queued, and closes the store. */
  void close() {
    admission.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(new Stop());
    } finally {
      admission.writeLock().unlock();
    }
    Threads.joinUninterruptibly(thread);
  }

  private void run() {
    nextSweep = System.nanoTime() + retentionIntervalNanos;
    List<Work> drained = new ArrayList<>(maxBatch);
    List<Append> batch = new ArrayList<>(maxBatch);
    boolean stopping = false;
    Checkpoint checkpoint = null;
    while (!stopping) {
      drained.clear();
      batch.clear();
      Work first = next();
      if (first != null) {
        drained.add(first);
        queue.drainTo(drained, maxBatch - 1);
      }
      for (Work work : drained) {
        if (work instanceof Append append) {
          batch.add(append);
        } else if (work instanceof Sweep sweep) {
          startSweep(sweep.done());
        } else if (work instanceof Checkpoint asked) {
          checkpoint = asked;
        } else {
          stopping = true;
        }
      }
      if (!batch.isEmpty()) {
        commit(batch);
      }
      if (checkpoint != null) {
        checkpointQueued.set(false);
        store.checkpoint(checkpoint.waitForReaders());
        checkpoint = null;
      }
      if (!stopping) {
        runDueWork();
      }
    }
    retention.abort(closedException());
    store.close();
  }

  /** Starts a sweep or probes when its time has come, and takes the next step of a sweep under way. */
  private void runDueWork() {
    long now = System.nanoTime();
    if (retention.configured() && now - nextSweep >= 0) {
      startSweep(null);
      nextSweep = now + retentionIntervalNanos;
    }
    if (retention.active()) {
      sweepStep();
    }
    if (writeFailure != null && now - nextProbe >= 0) {
      probe();
    }
  }

  /**
   * The next piece of work from the queue: at once while a sweep is under way, else waiting until
   * the next timed work is due, if there is any.
   */
  private Work next() {
    try {
      if (retention.active()) {
        return queue.poll();
      }
      long until = Long.MAX_VALUE;
      if (retention.configured()) {
        until = nextSweep;
      }
      if (writeFailure != null && (until == Long.MAX_VALUE || nextProbe - until < 0)) {
        until = nextProbe;
      }
      long wait = until == Long.MAX_VALUE ? Long.MAX_VALUE : until - System.nanoTime();
      return queue.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      // Nobody but close() may stop this thread, and close() does so with a Stop in the queue.
      return null;
    }
  }

  /** Writes the batch in one transaction, then completes its futures: one task per executor. */
  private void commit(List<Append> batch) {
    List<RuntimeException> outcomes = write(batch);
    // Permits go back before the futures complete, so a caller that saw its append done also sees
    // the queue depth without it.
    permits.release(batch.size());
    Map<Executor, List<Runnable>> completions = new IdentityHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      CompletableFuture<Void> done = batch.get(i).done();
      RuntimeException failed = outcomes.get(i);
      completions.computeIfAbsent(batch.get(i).completion(), executor -> new ArrayList<>())
          .add(failed == null ? () -> done.complete(null) : () -> done.completeExceptionally(failed));
    }
    completions.forEach(GroupCommitWriter::complete);
  }

  /** Runs the completions on their executor as one task; where it fails to take the task, here. */
  private static void complete(Executor executor, List<Runnable> completions) {
    Runnable all = () -> completions.forEach(Runnable::run);
    try {
      executor.execute(all);
    } catch (RuntimeException e) {
      // A future must complete even when its executor has shut down or fails, or its caller waits
      // forever; and the writer thread must not die of it.
      all.run();
    }
  }

  /** Per decision of the batch: null when committed, else why not. */
  private List<RuntimeException> write(List<Append> batch) {
    // The snapshots this transaction writes: known stored only once it committed.
    Set<String> added = new HashSet<>();
    List<BatchWriter.Entry> entries = new ArrayList<>(batch.size());
    for (Append append : batch) {
      List<Snapshot> unknown = new ArrayList<>(0);
      for (Snapshot snapshot : append.snapshots()) {
        if (!storedSnapshots.contains(snapshot.revision()) && added.add(snapshot.revision())) {
          unknown.add(snapshot);
        }
      }
      entries.add(new BatchWriter.Entry(append.decision(), unknown));
    }
    long started = System.nanoTime();
    List<RuntimeException> outcomes;
    try {
      outcomes = store.commit(entries);
    } catch (SQLException | RuntimeException e) {
      // Invariant kept here: no decision of this batch is reported committed, since none is known
      // to be. A COMMIT that failed may still have reached the disk; a decision logged but not
      // answered is harmless, the reverse is not.
      probeBytes = batch.stream()
          .mapToInt(a -> a.decision().requestJson().length() + a.decision().decisionJson().length()).max().orElse(0);
      writeFailed(e);
      return Collections.nCopies(batch.size(), LogUnavailableException.unavailable(writeFailure, e));
    }
    writeFailure = null;
    storedSnapshots.addAll(added);
    long written = outcomes.stream().filter(o -> o == null).count();
    LogCommits before = commits;
    commits = new LogCommits(
        before.commits() + 1, before.decisions() + written, before.nanos() + System.nanoTime() - started);
    return outcomes;
  }

  /** Starts a sweep; one that cannot start fails its waiter instead of this thread. */
  private void startSweep(CompletableFuture<Long> waiter) {
    try {
      retention.start(waiter);
    } catch (RuntimeException e) {
      sweepFailed(e);
    }
  }

  private void sweepStep() {
    try {
      store.sweep(retention);
      sweepFailure = null;
    } catch (SQLException | RuntimeException e) {
      sweepFailed(e);
    }
  }

  /** Ends the sweep under way, failing its waiter with why; the next sweep comes a probe interval later. */
  private void sweepFailed(Exception e) {
    sweepFailure = "cannot apply decision log retention: " + e.getMessage();
    nextSweep = System.nanoTime() + Math.min(retentionIntervalNanos, PROBE_INTERVAL_NANOS);
    retention.abort(LogUnavailableException.unavailable(sweepFailure, e));
  }

  /** A write of the store's own that changes nothing a reader sees: readiness comes back once it works. */
  private void probe() {
    try {
      store.probe(probeBytes);
      writeFailure = null;
    } catch (SQLException | RuntimeException e) {
      writeFailed(e);
    }
  }

  /** Records why a write failed, until one succeeds; the writer probes again a second later. */
  private void writeFailed(Exception e) {
    writeFailure = "cannot write decision log: " + e.getMessage();
    nextProbe = System.nanoTime() + PROBE_INTERVAL_NANOS;
  }

  private static LogUnavailableException closedException() {
    return LogUnavailableException.unavailable("decision log is closed", null);
  }
}
