package dev.gatehouse.server.http;

import dev.gatehouse.server.metrics.ServerMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;

/**
 * Where candidate policy sets compile ({@code POST /v1/policies/check}, a replay against a
 * candidate set): {@value #CONCURRENCY} at a time on a thread of their own, at most
 * {@value #QUEUE} more waiting. Beyond that a request is refused at once with 503 {@code busy}
 * and {@code Retry-After}, so slow compiles neither pile up without limit (each holds its files
 * and a thread's worth of work) nor take the workers that decisions run on.
 *
 * <p>Invariant: a permit is taken before a compile is queued and given back when it ends, however
 * it ends, so {@link #pending()} counts exactly the compiles queued or running.
 */
public final class CandidateCompiles {

  /** Compiles that run at once: one keeps a 2-core machine's other core for decisions. */
  static final int CONCURRENCY = 1;

  /** Compiles that may wait for a turn; a compile takes 0.1-1 s, so the last waits a few seconds. */
  static final int QUEUE = 4;

  /** Seconds a refused client should wait: about one compile. */
  static final String RETRY_AFTER_SECONDS = "1";

  private final WorkerExecutor executor;
  private final Semaphore permits = new Semaphore(CONCURRENCY + QUEUE);
  private final ServerMetrics metrics;

  private CandidateCompiles(WorkerExecutor executor, ServerMetrics metrics) {
    this.executor = executor;
    this.metrics = metrics;
  }

  /** Compiles on a worker pool of {@code vertx}'s, counted in {@code metrics}; closed with {@code vertx}. */
  public static CandidateCompiles create(Vertx vertx, ServerMetrics metrics) {
    CandidateCompiles compiles =
        new CandidateCompiles(vertx.createSharedWorkerExecutor("gatehouse-policy-check", CONCURRENCY), metrics);
    metrics.watchChecks(compiles::pending);
    return compiles;
  }

  /**
   * Runs {@code compile} when a turn comes, or fails at once with 503 {@code busy} (and sets
   * {@code Retry-After} on the answer of {@code ctx}) when {@value #QUEUE} are waiting already.
   * Call on the request's event loop.
   */
  public <T> Future<T> submit(RoutingContext ctx, Callable<T> compile) {
    if (!permits.tryAcquire()) {
      metrics.checkRefused();
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
      return Future.failedFuture(new ApiException(503, "compile-busy",
          "the server is compiling as many candidate policy sets as it queues; retry later"));
    }
    Future<T> result;
    try {
      result = executor.executeBlocking(compile, false);
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
    return result.andThen(done -> permits.release());
  }

  /** Compiles queued or running. */
  public int pending() {
    return CONCURRENCY + QUEUE - permits.availablePermits();
  }
}
