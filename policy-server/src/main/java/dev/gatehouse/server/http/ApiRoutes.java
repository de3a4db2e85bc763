package dev.gatehouse.server.http;

import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.server.ServerMetrics;
import dev.gatehouse.server.config.Role;
import dev.gatehouse.server.config.ServerConfig;
import dev.gatehouse.server.WorkspaceWatcher;
import dev.gatehouse.server.log.DecisionLog;
import java.time.Clock;
import java.util.Optional;
import io.vertx.core.Handler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * The route table: which handler answers which method and path, behind which role. Each resource
 * is its own handler class; a new resource (the decision log, replay, the workspace) adds its
 * handler here and nothing else changes.
 *
 * <p>Every route runs: authentication and role check, then (for bodies) the content type and the
 * body limit, then the handler. Failures at any step reach the one {@link ErrorMapper}.
 */
public final class ApiRoutes {

  private final BearerAuth auth;
  private final ErrorMapper errors;
  private final long bodyLimit;
  private final DecisionsHandler decisions;
  private final PoliciesHandler policies;
  private final HealthHandler health;
  private final MetricsHandler metricsHandler;
  private final OpenApiHandler openApi;
  private final Optional<DecisionLogHandler> decisionLog;
  private final WorkspaceHandler workspace;
  private final ConsoleHandler console = new ConsoleHandler();

  /**
   * Routes over {@code engine}, configured by {@code config}, compiling candidate policy sets on
   * {@code checks}; safe to share between event loops.
   */
  public ApiRoutes(PolicyEngine engine, ServerMetrics metrics, ServerConfig config, CandidateCompiles checks,
      Optional<DecisionLog> log, Optional<WorkspaceWatcher> workspace) {
    this.auth = new BearerAuth(config.tokens());
    this.errors = new ErrorMapper(config.bodyLimit());
    this.bodyLimit = config.bodyLimit();
    this.decisions = new DecisionsHandler(engine, metrics, log, workspace, Clock.systemUTC());
    this.policies = new PoliciesHandler(engine, checks);
    this.health = new HealthHandler(engine, log);
    this.decisionLog = log.map(l -> new DecisionLogHandler(l, engine, workspace, checks));
    this.workspace = new WorkspaceHandler(workspace);
    this.metricsHandler = new MetricsHandler(metrics);
    this.openApi = new OpenApiHandler();
  }

  /** A router for one event loop, whose verticle runs on {@code eventLoop}. */
  public Router router(Vertx vertx, Context eventLoop) {
    Router router = Router.router(vertx);
    // Health, metrics and the API description stay open: probes and scrapers carry no token.
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/metrics").handler(metricsHandler::scrape);
    router.get("/openapi.yaml").handler(openApi::serve);
    // The console's files are public; the data it shows comes from the routes below, behind their roles.
    console.mount(router);

    jsonBody(router.post("/v1/decisions").handler(auth.require(Role.DECIDE))).handler(decisions.on(eventLoop));
    decisionLog.ifPresent(reads -> {
      router.get("/v1/decisions").handler(auth.require(Role.READ)).handler(reads::list);
      router.get("/v1/decisions/:id").handler(auth.require(Role.READ)).handler(reads::get);
      // A candidate set in the body also needs admin: the handler checks, since an empty body does not.
      router.post("/v1/decisions/:id/replay").handler(auth.require(Role.READ))
          .handler(BodyHandler.create(false).setBodyLimit(bodyLimit)).handler(reads::replay);
    });
    router.get("/v1/workspace").handler(auth.require(Role.READ)).handler(workspace::describe);
    router.get("/v1/policies").handler(auth.require(Role.READ)).handler(policies::active);
    jsonBody(router.post("/v1/policies/check").handler(auth.require(Role.ADMIN))).handler(policies::check);

    router.route().failureHandler(errors);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, errors);
    }
    return router;
  }

  /** Adds the content type check and the body limit after the route's authentication. */
  private Route jsonBody(Route route) {
    Handler<RoutingContext> body = BodyHandler.create(false).setBodyLimit(bodyLimit);
    // A PlatformHandler like authentication: Vert.x runs those before the body is read.
    PlatformHandler json = JsonBodies::requireJson;
    return route.handler(json).handler(body);
  }
}
