package dev.gatehouse.server.http;

import dev.gatehouse.server.metrics.ServerMetrics;
import dev.gatehouse.server.metrics.ServerMetrics.Placed;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.server.decide.DecisionService;
import dev.gatehouse.server.decide.DecisionService.Answer;
import dev.gatehouse.server.decide.DecisionService.Basis;
import dev.gatehouse.server.decide.PoliciesUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code POST /v1/decisions}: HTTP around the {@link DecisionService}, which decides and logs. This
 * handler only takes the body and principal off the request, runs the service where {@link
 * DecisionPlacement} says (on the event loop for a small request whose gate decides quickly, else
 * on a worker), and answers 200 with the decision (ALLOW or DENY alike) or the error.
 */
public final class DecisionsHandler {

  private final DecisionService decisions;
  private final ServerMetrics metrics;
  private final DecisionPlacement placement;

  /** Answers with {@code decisions}, counted in {@code metrics}, each decided where {@code placement} says. */
  DecisionsHandler(DecisionService decisions, ServerMetrics metrics, DecisionPlacement placement) {
    this.decisions = decisions;
    this.metrics = metrics;
    this.placement = placement;
  }

  /**
   * {@code POST /v1/decisions} for the requests of one event loop.
   *
   * @param eventLoop the event loop's own context (a verticle's, not a request's duplicate): one
   *     executor for all its requests, so the log can complete a whole commit's decisions of this
   *     event loop with one task
   */
  public Handler<RoutingContext> on(Context eventLoop) {
    Executor executor = task -> eventLoop.runOnContext(ignored -> task.run());
    return ctx -> decide(ctx, eventLoop, executor);
  }

  private void decide(RoutingContext ctx, Context eventLoop, Executor executor) {
    long started = System.nanoTime();
    if (!decisions.ready()) {
      ctx.fail(new PoliciesUnavailableException());
      return;
    }
    byte[] body = JsonBodies.body(ctx);
    Caller caller = Principal.of(ctx).caller();
    if (!placement.small(body.length)) {
      // Reading a large body alone could hold the event loop: all of it happens on a worker.
      onWorker(ctx, eventLoop, started, () -> decisions.decide(body, caller, executor));
      return;
    }
    // Small enough to read here: the gate says where to decide.
    DecisionService.Read read;
    Basis basis;
    try {
      read = decisions.read(body);
      basis = decisions.basis();
    } catch (Exception e) {
      ctx.fail(e);
      return;
    }
    String gate = read.request().gate();
    if (placement.onEventLoop(basis, gate)) {
      long start = DecisionPlacement.now();
      CompletableFuture<Answer> answered = deciding(() -> decisions.decide(basis, read, caller, executor));
      boolean overran = placement.took(basis, gate, DecisionPlacement.now() - start, true);
      answer(ctx, eventLoop, started, answered, overran ? Placed.EVENT_LOOP_OVERRUN : Placed.EVENT_LOOP);
      return;
    }
    onWorker(ctx, eventLoop, started, () -> {
      long start = DecisionPlacement.now();
      CompletableFuture<Answer> answered = decisions.decide(basis, read, caller, executor);
      placement.took(basis, gate, DecisionPlacement.now() - start, false);
      return answered;
    });
  }

  /**
   * Runs {@code decision} on a worker. Decisions are independent, so they need not run in order:
   * unordered lets them use the whole pool. Nothing listens to the worker's own future: the service
   * completes the answer itself, through the log when there is one, so that the event loop is woken
   * once per group commit rather than also once per decision.
   */
  private void onWorker(RoutingContext ctx, Context eventLoop, long started, Supplier<CompletableFuture<Answer>> decision) {
    CompletableFuture<Answer> answered = new CompletableFuture<>();
    answer(ctx, eventLoop, started, answered, Placed.WORKER);
    ctx.vertx().executeBlocking(() -> {
      deciding(decision).whenComplete((answer, failed) -> {
        if (failed == null) {
          answered.complete(answer);
        } else {
          answered.completeExceptionally(failed);
        }
      });
      return null;
    }, false);
  }

  /**
   * Answers once {@code answered} completes, on the event loop: directly when it completes there
   * (a decision made there without a log, the log's completion task), else dispatched to it.
   */
  private void answer(RoutingContext ctx, Context eventLoop, long started, CompletableFuture<Answer> answered,
      Placed placed) {
    Future.fromCompletionStage(answered, eventLoop).onComplete(outcome -> {
      if (outcome.succeeded()) {
        JsonBodies.send(ctx, 200, outcome.result().json());
        metrics.decided(outcome.result().decision(), System.nanoTime() - started, placed);
      } else {
        ctx.fail(outcome.cause());
      }
    });
  }

  /** The decision's answer; whatever went wrong, an error, never silence and never an ALLOW. */
  private static CompletableFuture<Answer> deciding(Supplier<CompletableFuture<Answer>> decision) {
    try {
      return decision.get();
    } catch (Throwable e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
