package dev.gatehouse.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.PolicySet;
import io.vertx.ext.web.RoutingContext;

/** {@code /health}: liveness and readiness, open to everyone (probes carry no token). */
public final class HealthHandler {

  private static final byte[] LIVE = JsonBodies.encode(new Health("up", null, null));

  private final PolicyEngine engine;

  /** Readiness of {@code engine}. */
  public HealthHandler(PolicyEngine engine) {
    this.engine = engine;
  }

  /** The health answer. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Health(String status, String revision, String message) {}

  /** {@code GET /health/live}: 200 while the process answers at all. */
  public void live(RoutingContext ctx) {
    JsonBodies.send(ctx, 200, LIVE);
  }

  /** {@code GET /health/ready}: 200 with a compiled policy set loaded, 503 without one. */
  public void ready(RoutingContext ctx) {
    Health health = engine.active()
        .map(PolicySet::revision)
        .map(revision -> new Health("ready", revision, null))
        .orElseGet(() -> new Health("not-ready", null, "no policy set is loaded"));
    JsonBodies.send(ctx, health.revision() == null ? 503 : 200, JsonBodies.encode(health));
  }
}
