package dev.gatehouse.server.http;

import dev.gatehouse.server.metrics.ServerMetrics;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.server.decide.DecisionService;
import dev.gatehouse.server.decide.PoliciesUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /v1/decisions}: HTTP around the {@link DecisionService}, which decides and logs. This
 * handler only takes the body and principal off the request, runs the service on a worker, and
 * answers 200 with the decision (ALLOW or DENY alike) or the error.
 */
public final class DecisionsHandler {

  private final DecisionService decisions;
  private final ServerMetrics metrics;

  /** Answers with {@code decisions}, counted in {@code metrics}. */
  public DecisionsHandler(DecisionService decisions, ServerMetrics metrics) {
    this.decisions = decisions;
    this.metrics = metrics;
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
    CompletableFuture<DecisionService.Answer> answered = new CompletableFuture<>();
    // Handled on the event loop: directly when completed there (the log's completion task), else
    // (a decision without a log, an error, a refusal) dispatched to it.
    Future.fromCompletionStage(answered, eventLoop).onComplete(outcome -> {
      if (outcome.succeeded()) {
        JsonBodies.send(ctx, 200, outcome.result().json());
        metrics.decided(outcome.result().decision(), System.nanoTime() - started);
      } else {
        ctx.fail(outcome.cause());
      }
    });
    // Decisions are independent, so they need not run in order: unordered lets them use the whole
    // pool. Nothing listens to the worker's own future: the service completes `answered` itself,
    // through the log when there is one, so that the event loop is woken once per group commit
    // rather than also once per decision.
    ctx.vertx().executeBlocking(() -> {
      try {
        decisions.decide(body, caller, executor).whenComplete((answer, failed) -> {
          if (failed == null) {
            answered.complete(answer);
          } else {
            answered.completeExceptionally(failed);
          }
        });
      } catch (Throwable e) {
        // Whatever went wrong, the caller gets an answer: an error, never silence and never an ALLOW.
        answered.completeExceptionally(e);
      }
      return null;
    }, false);
  }
}
