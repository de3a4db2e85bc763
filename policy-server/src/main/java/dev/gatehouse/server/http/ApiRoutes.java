package dev.gatehouse.server.http;

import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.server.metrics.ServerMetrics;
import dev.gatehouse.server.board.Boards;
import dev.gatehouse.server.decide.DecisionService;
import dev.gatehouse.server.config.Role;
import dev.gatehouse.server.config.ServerConfig;
import dev.gatehouse.server.watch.WorkspaceWatcher;
import dev.gatehouse.server.log.DecisionLog;
import dev.gatehouse.server.log.PolicyActivations;
import dev.gatehouse.server.policies.PolicyRevisions;
import java.util.Optional;
import java.util.function.BooleanSupplier;
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
 * <p>Every request runs: the {@code Host} and {@code Origin} checks and a well-formed path and
 * query; then, on its route, authentication and role check, then (for bodies) the content type, a
 * place among the bodies being read and the body limit, then the handler. Nothing before the body
 * handler reads the body, so a refused caller never gets to send it. Failures at any step reach
 * the one {@link ErrorMapper}.
 */
public final class ApiRoutes {

  private final BearerAuth auth;
  private final CrossSiteGuard crossSite;
  private final BodyReads bodyReads;
  private final ErrorMapper errors;
  private final long bodyLimit;
  private final DecisionsHandler decisions;
  private final BatchHandler batch;
  private final BoardHandler board;
  private final PoliciesHandler policies;
  private final ActivationHandler activation;
  private final HealthHandler health;
  private final MetricsHandler metricsHandler;
  private final OpenApiHandler openApi;
  private final Optional<DecisionLogHandler> decisionLog;
  private final WorkspaceHandler workspace;
  private final ConsoleHandler console = new ConsoleHandler();

  /**
   * Routes over {@code engine}, configured by {@code config}, compiling candidate policy sets on
   * {@code checks}; safe to share between event loops. While a candidate set compiles, and while
   * {@code reloading} in the constructor below (a changed policy directory compiling, a changed
   * workspace loading), decisions run on the workers only.
   */
  public ApiRoutes(PolicyEngine engine, DecisionService decisions, ServerMetrics metrics, ServerConfig config,
      CandidateCompiles checks, Optional<DecisionLog> log, Optional<WorkspaceWatcher> workspace) {
    this(engine, decisions, metrics, config, checks, log, workspace, Optional.empty(), () -> false);
  }

  /**
   * Routes as above, activating policy sets into {@code activations} when replicas share them, and
   * keeping decisions off the event loops while {@code reloading}.
   */
  public ApiRoutes(PolicyEngine engine, DecisionService decisions, ServerMetrics metrics, ServerConfig config,
      CandidateCompiles checks, Optional<DecisionLog> log, Optional<WorkspaceWatcher> workspace,
      Optional<PolicyActivations> activations, BooleanSupplier reloading) {
    this.auth = new BearerAuth(config.tokens());
    this.crossSite = new CrossSiteGuard(config);
    this.bodyReads = new BodyReads(config.concurrentBodies());
    this.errors = new ErrorMapper(config.bodyLimit());
    this.bodyLimit = config.bodyLimit();
    this.decisions = new DecisionsHandler(decisions, metrics,
        new DecisionPlacement(() -> reloading.getAsBoolean() || checks.pending() > 0));
    this.batch = new BatchHandler(decisions, metrics, config.batchLimit());
    this.board = new BoardHandler(new Boards(decisions), workspace);
    PolicyRevisions revisions = new PolicyRevisions(engine::active, log, engine::compileCandidate);
    this.policies = new PoliciesHandler(engine, checks, revisions);
    this.activation = new ActivationHandler(engine, checks, activations);
    this.health = new HealthHandler(engine, log);
    this.decisionLog = log.map(l -> new DecisionLogHandler(l, engine, workspace, checks, revisions));
    this.workspace = new WorkspaceHandler(engine, workspace);
    this.metricsHandler = new MetricsHandler(metrics);
    this.openApi = new OpenApiHandler();
  }

  /** A router for one event loop, whose verticle runs on {@code eventLoop}. */
  public Router router(Vertx vertx, Context eventLoop) {
    Router router = Router.router(vertx);
    PlatformHandler wellFormed = RequestTarget::requireWellFormed;
    router.route().handler(crossSite).handler(wellFormed);
    // Health, metrics and the API description stay open: probes and scrapers carry no token.
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/metrics").handler(metricsHandler::scrape);
    router.get("/openapi.yaml").handler(openApi::serve);
    // The console's files are public; the data it shows comes from the routes below, behind their roles.
    console.mount(router);

    jsonBody(router.post("/v1/decisions").handler(auth.require(Role.DECIDE))).handler(decisions.on(eventLoop));
    jsonBody(router.post("/v1/decisions/batch").handler(auth.require(Role.DECIDE))).handler(batch.on(eventLoop));
    router.get("/v1/board").handler(auth.require(Role.READ)).handler(board.on(eventLoop));
    decisionLog.ifPresent(reads -> {
      router.get("/v1/decisions").handler(auth.require(Role.READ)).handler(reads::list);
      // Before /:id, which would take "verify" for a decision id.
      router.get("/v1/decisions/verify").handler(auth.require(Role.ADMIN)).handler(reads::verify);
      router.get("/v1/decisions/:id").handler(auth.require(Role.READ)).handler(reads::get);
      // Not taken for a decision id: replaying one is /v1/decisions/:id/replay, and :id has no POST.
      body(router.post("/v1/decisions/replay").handler(auth.require(Role.READ))).handler(reads::replayMany);
      // A candidate set in the body also needs admin: the handler checks, since an empty body does not.
      body(router.post("/v1/decisions/:id/replay").handler(auth.require(Role.READ))).handler(reads::replay);
    });
    router.get("/v1/workspace").handler(auth.require(Role.READ)).handler(workspace::describe);
    router.get("/v1/workspace/audit").handler(auth.require(Role.READ)).handler(workspace::audit);
    router.get("/v1/policies").handler(auth.require(Role.READ)).handler(policies::active);
    router.get("/v1/policies/:revision").handler(auth.require(Role.READ)).handler(policies::revision);
    router.get("/v1/policies/:revision/diff").handler(auth.require(Role.READ)).handler(policies::diff);
    jsonBody(router.post("/v1/policies/check").handler(auth.require(Role.ADMIN))).handler(policies::check);
    jsonBody(router.post("/v1/policies/activate").handler(auth.require(Role.ADMIN))).handler(activation::activate);

    router.route().failureHandler(errors);
    for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
      router.errorHandler(status, errors.forStatus(status));
    }
    return router;
  }

  /** Adds the content type check and the body after the route's authentication. */
  private Route jsonBody(Route route) {
    // A PlatformHandler like authentication: Vert.x runs those before the body is read.
    PlatformHandler json = JsonBodies::requireJson;
    return body(route.handler(json));
  }

  /** Adds reading the body, within the body limit and the bound on bodies read at once. */
  private Route body(Route route) {
    Handler<RoutingContext> body = BodyHandler.create(false).setBodyLimit(bodyLimit);
    return route.handler(bodyReads.enter()).handler(body).handler(bodyReads::leave);
  }
}
