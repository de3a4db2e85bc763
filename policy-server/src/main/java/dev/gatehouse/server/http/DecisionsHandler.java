package dev.gatehouse.server.http;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.server.ServerMetrics;
import io.vertx.ext.web.RoutingContext;

/** {@code /v1/decisions}: asks the active policy set for a decision. */
public final class DecisionsHandler {

  private final PolicyEngine engine;
  private final ServerMetrics metrics;
  private final RequestReader reader = new RequestReader();

  /** Decisions from {@code engine}, counted in {@code metrics}. */
  public DecisionsHandler(PolicyEngine engine, ServerMetrics metrics) {
    this.engine = engine;
    this.metrics = metrics;
  }

  /** {@code POST /v1/decisions}: 200 with the decision, ALLOW or DENY alike. */
  public void decide(RoutingContext ctx) {
    long started = System.nanoTime();
    if (engine.active().isEmpty()) {
      ctx.fail(new ApiException(503, "policies-unavailable",
          "no policy set is loaded: fix the policy directory (see GET /v1/policies)"));
      return;
    }
    byte[] body = JsonBodies.body(ctx);
    // Decisions are independent, so they need not run in order: unordered lets them use the whole pool.
    ctx.vertx().<Answer>executeBlocking(() -> {
      Decision decision = engine.decide(reader.readRequest(body));
      return new Answer(decision, JsonBodies.encode(decision));
    }, false).onSuccess(answer -> {
      JsonBodies.send(ctx, 200, answer.json);
      metrics.decided(answer.decision, System.nanoTime() - started);
    }).onFailure(ctx::fail);
  }

  private record Answer(Decision decision, byte[] json) {}
}
