package dev.gatehouse.server.http;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.workspace.RequestFacts;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.server.ServerMetrics;
import dev.gatehouse.server.WorkspaceWatcher;
import dev.gatehouse.server.log.DecisionLog;
import dev.gatehouse.server.log.LoggedDecision;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /v1/decisions}: asks the active policy set for a decision, with the workspace's facts
 * when there is one, and answers only once the decision is in the log.
 */
public final class DecisionsHandler {

  private final PolicyEngine engine;
  private final ServerMetrics metrics;
  private final Optional<DecisionLog> log;
  private final Optional<WorkspaceWatcher> workspace;
  private final Clock clock;
  private final RequestReader reader = new RequestReader();

  /** Decisions from {@code engine}, counted in {@code metrics}, written to {@code log} when there is one. */
  public DecisionsHandler(PolicyEngine engine, ServerMetrics metrics, Optional<DecisionLog> log,
      Optional<WorkspaceWatcher> workspace, Clock clock) {
    this.engine = engine;
    this.metrics = metrics;
    this.log = log;
    this.workspace = workspace;
    this.clock = clock;
  }

  /**
   * {@code POST /v1/decisions} for the requests of one event loop: 200 with the decision, ALLOW or
   * DENY alike.
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
    if (engine.active().isEmpty()) {
      ctx.fail(new ApiException(503, "policies-unavailable",
          "no policy set is loaded: fix the policy directory (see GET /v1/policies)"));
      return;
    }
    byte[] body = JsonBodies.body(ctx);
    String principal = Principal.of(ctx).name();
    CompletableFuture<Answer> answered = new CompletableFuture<>();
    // Handled on the event loop: directly when completed there (the log's completion task), else
    // (a decision without a log, an error, a refusal) dispatched to it.
    Future.fromCompletionStage(answered, eventLoop).onComplete(outcome -> {
      if (outcome.succeeded()) {
        JsonBodies.send(ctx, 200, outcome.result().json);
        metrics.decided(outcome.result().decision, System.nanoTime() - started);
      } else {
        ctx.fail(outcome.cause());
      }
    });
    // Decisions are independent, so they need not run in order: unordered lets them use the whole
    // pool. Nothing listens to the worker's own future: the worker completes `answered` itself,
    // through the log when there is one, so that the event loop is woken once per group commit
    // rather than also once per decision.
    ctx.vertx().executeBlocking(() -> {
      answer(body, principal, executor, answered);
      return null;
    }, false);
  }

  /** Decides on a worker thread and completes {@code answered}, once logged when there is a log. */
  private void answer(byte[] body, String principal, Executor eventLoop, CompletableFuture<Answer> answered) {
    try {
      Answer answer = evaluate(body, principal);
      if (answer.entry == null) {
        answered.complete(answer);
        return;
      }
      // A decision the log refused is never answered.
      log.orElseThrow().append(answer.entry, eventLoop).whenComplete((committed, refused) -> {
        if (refused == null) {
          answered.complete(answer);
        } else {
          answered.completeExceptionally(refused);
        }
      });
    } catch (Throwable e) {
      // Whatever went wrong, the caller gets an answer: an error, never silence and never an ALLOW.
      answered.completeExceptionally(e);
    }
  }

  private Answer evaluate(byte[] body, String principal) throws Exception {
    DecisionRequest asked = reader.readRequest(body);
    // UTF-8 JSON starts with '{' and holds no NUL; UTF-16 and UTF-32, which Jackson reads too, do.
    boolean verbatim = asked.at() != null && body.length > 1 && body[0] == '{' && body[1] != 0;
    if (asked.at() == null) {
      // Fixed here so that the logged request replays at the time it was decided.
      asked = asked.withAt(clock.instant());
    }
    // Invariant: checked non-empty before this runs, and an active set is never unset.
    PolicySet set = engine.active().orElseThrow();
    Decision decision = RequestFacts.decide(set, asked, workspace.map(WorkspaceWatcher::current).orElse(null),
        workspace.map(WorkspaceWatcher::workspaceOnly).orElse(Set.of()));
    byte[] json = JsonBodies.encode(decision);
    if (log.isEmpty()) {
      return new Answer(decision, json, null);
    }
    // The body as sent when it names its time and is UTF-8; else the request as read, with the time
    // it was decided at.
    LoggedDecision entry = LoggedDecision.of(
        asked, new String(verbatim ? body : Json.writeRequest(asked), StandardCharsets.UTF_8),
        decision, new String(json, StandardCharsets.UTF_8), principal, clock.instant());
    return new Answer(decision, json, entry);
  }

  /**
   * A decision and its response body.
   *
   * @param entry what the log records of it; null without a log
   */
  private record Answer(Decision decision, byte[] json, LoggedDecision entry) {}
}
