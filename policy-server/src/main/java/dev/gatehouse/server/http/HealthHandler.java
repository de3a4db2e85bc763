package dev.gatehouse.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.server.log.DecisionLog;
import dev.gatehouse.server.log.LogHealth;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** {@code /health}: liveness and readiness, open to everyone (probes carry no token). */
public final class HealthHandler {

  private static final byte[] LIVE = JsonBodies.encode(new Health("up", null, null));

  private final PolicyEngine engine;
  private final Optional<DecisionLog> log;

  /** Readiness of {@code engine} and, when there is one, of the decision log. */
  public HealthHandler(PolicyEngine engine, Optional<DecisionLog> log) {
    this.engine = engine;
    this.log = log;
  }

  /** The health answer. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Health(String status, String revision, String message) {}

  /** {@code GET /health/live}: 200 while the process answers at all. */
  public void live(RoutingContext ctx) {
    JsonBodies.send(ctx, 200, LIVE);
  }

  /**
   * {@code GET /health/ready}: 200 with a compiled policy set loaded, the last reload of the policy
   * directory activated (or found nothing new), and a writable decision log; 503 otherwise. A server
   * that cannot record decisions must not be sent any; one whose directory holds a set it could not
   * activate still decides with the last good set, but is not what its operators deployed.
   */
  public void ready(RoutingContext ctx) {
    Optional<String> revision = engine.active().map(PolicySet::revision);
    Optional<PolicyEngine.ReloadFailure> failed = engine.lastReloadFailure();
    Optional<LogHealth> unwritable = log.map(DecisionLog::health).filter(h -> !h.ready());
    Health health;
    if (revision.isEmpty()) {
      health = new Health("not-ready", null, "no policy set is loaded"
          + failed.map(f -> ": the last policy reload failed: " + f.message()).orElse(""));
    } else if (failed.isPresent()) {
      health = new Health("not-ready", revision.get(), "the last policy reload failed, still serving "
          + revision.get() + ": " + failed.get().message());
    } else if (unwritable.isPresent()) {
      health = new Health("not-ready", revision.get(), "the decision log is not writable: " + unwritable.get().reason());
    } else {
      health = new Health("ready", revision.get(), null);
    }
    JsonBodies.send(ctx, health.status().equals("ready") ? 200 : 503, JsonBodies.encode(health));
  }
}
