package dev.gatehouse.server;

import dev.gatehouse.server.watch.WorkspaceWatcher;
import dev.gatehouse.server.watch.ActivationWatcher;
import dev.gatehouse.server.watch.PolicySource;
import dev.gatehouse.server.watch.PolicyWatcher;
import dev.gatehouse.server.metrics.ServerMetrics;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyCompiler;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.server.config.ServerConfig;
import dev.gatehouse.server.decide.DecisionService;
import dev.gatehouse.server.http.ApiRoutes;
import dev.gatehouse.server.http.CandidateCompiles;
import dev.gatehouse.server.http.HttpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import dev.gatehouse.server.log.DecisionLog;
import dev.gatehouse.server.log.LogOptions;
import dev.gatehouse.server.log.DecisionLogs;
import dev.gatehouse.server.log.PolicyActivations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of {@code gatehouse serve}: builds the engine, loads and watches the policy
 * directory (or, with the log on PostgreSQL, the active set replicas share), and deploys one HTTP
 * verticle per core on the configured port.
 */
public final class GatehouseServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatehouseServer.class);
  // WatchService can miss events; re-reading the directory this often bounds how late a change shows.
  private static final Duration RECHECK = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final PolicyEngine engine;
  private final PolicySource watcher;
  private final Optional<WorkspaceWatcher> workspace;
  private final Optional<DecisionLog> log;
  private final CompileResult firstLoad;
  private final int port;

  private GatehouseServer(Vertx vertx, PolicyEngine engine, PolicySource watcher, Optional<WorkspaceWatcher> workspace,
      Optional<DecisionLog> log, CompileResult firstLoad, int port) {
    this.vertx = vertx;
    this.engine = engine;
    this.watcher = watcher;
    this.workspace = workspace;
    this.log = log;
    this.firstLoad = firstLoad;
    this.port = port;
  }

  /**
   * Loads the policies and starts serving; returns once the port is bound. A policy set that does not
   * compile does not stop the start: the server answers 503 until a fixed set is picked up.
   */
  public static GatehouseServer start(ServerConfig config) throws IOException {
    return start(config, config.compiler());
  }

  /** Like {@link #start(ServerConfig)}, compiling every policy set, active or candidate, with {@code compiler}. */
  public static GatehouseServer start(ServerConfig config, PolicyCompiler compiler) throws IOException {
    if (!config.authenticated()) {
      LOG.warn("authentication is off: no tokens configured, so anyone on this machine may call the API");
    }
    PolicyEngine engine = new PolicyEngine(compiler, config.policies());
    ServerMetrics metrics = new ServerMetrics();
    // With the log on PostgreSQL, replicas share one active set in the database; else the directory's.
    Optional<PolicyActivations> activations = config.sharedPolicies()
        ? Optional.of(PolicyActivations.open(config.log().postgres())) : Optional.empty();
    PolicySource watcher = activations.isPresent()
        ? new ActivationWatcher(engine, metrics, activations.get(), seeder(config))
        : new PolicyWatcher(engine, metrics, RECHECK, config.settle());
    // The first load (a compile, or a load from the compile cache) runs on a thread of its own while
    // Vert.x, the workspace and the decision log start: on two cores that halves the time to ready.
    FutureTask<CompileResult> loading = new FutureTask<>(() -> watcher.load().compiled());
    Thread loader = new Thread(loading, "gatehouse-policy-load");
    loader.setDaemon(true);
    loader.start();
    CompileResult firstLoad = null;
    Optional<WorkspaceWatcher> workspace = Optional.empty();
    Optional<DecisionLog> log = Optional.empty();
    // Evaluations are CPU-bound: workers beyond a couple per core only add context switches.
    int cores = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores).setWorkerPoolSize(2 * cores));
    try {
      if (config.workspace() != null) {
        workspace = Optional.of(new WorkspaceWatcher(config.workspace(), RECHECK, config.settle()));
        workspace.get().load();
      }
      if (config.logging()) {
        log = Optional.of(DecisionLogs.open(logOptions(config)));
        metrics.watch(log.get());
      } else {
        LOG.warn("the decision log is off: decisions are answered without being recorded");
      }
      CandidateCompiles checks = CandidateCompiles.create(vertx, metrics);
      firstLoad = loaded(loading);
      Optional<WorkspaceWatcher> watched = workspace;
      DecisionService decisions = new DecisionService(engine::active,
          () -> watched.map(WorkspaceWatcher::current).orElse(null), log, Clock.systemUTC());
      BooleanSupplier reloading = () -> watcher.reloading() || watched.map(WorkspaceWatcher::reloading).orElse(false);
      int port = deploy(vertx, new ApiRoutes(engine, decisions, metrics, config, checks, log, workspace, activations,
          reloading),
          config);
      watcher.start();
      if (workspace.isPresent()) {
        workspace.get().start();
      }
      return new GatehouseServer(vertx, engine, watcher, workspace, log, firstLoad, port);
    } catch (IOException | RuntimeException | Error e) {
      if (firstLoad == null) {
        loading.cancel(true);
      }
      watcher.close();
      workspace.ifPresent(WorkspaceWatcher::close);
      vertx.close().await();
      log.ifPresent(GatehouseServer::closeQuietly);
      throw e;
    }
  }

  /** The first load's result; what the load threw, thrown here, on the starting thread. */
  private static CompileResult loaded(FutureTask<CompileResult> loading) throws IOException {
    try {
      return loading.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while loading the policy directory", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IOException(e.getCause());
    }
  }

  /**
   * Deploys one verticle per core, all on one port. Vert.x shares a listening socket between
   * servers asking for the same port, except for port 0 (a new random port each time); a negative
   * port asks for one random port shared by all of them.
   */
  private static int deploy(Vertx vertx, ApiRoutes routes, ServerConfig config) {
    AtomicInteger bound = new AtomicInteger();
    int port = config.port() == 0 ? -1 : config.port();
    vertx.deployVerticle(() -> new HttpVerticle(routes, config.host(), port, bound::set),
        new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())).await();
    return bound.get();
  }

  private static LogOptions logOptions(ServerConfig config) {
    LogOptions where = config.log().onPostgres() ? LogOptions.postgres(config.log().postgres())
        : LogOptions.defaults(config.data());
    LogOptions options = where.withSync(config.log().sync());
    if (config.log().queueCapacity() != null) {
      options = options.withQueueCapacity(config.log().queueCapacity());
    }
    return options.withRetention(config.log().maxAge(), config.log().maxRows());
  }

  /** How an activation this server seeds an empty database with names it. */
  private static String seeder(ServerConfig config) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "an unnamed host";
    }
    return "gatehouse serve on " + host + " (policy directory " + config.policies() + ")";
  }

  private static void closeQuietly(DecisionLog log) {
    try {
      log.close();
    } catch (Exception e) {
      LOG.error("closing the decision log failed", e);
    }
  }

  /** The workspace the server decides with, or null when every fact comes from requests. */
  public WorkspaceWatcher workspace() {
    return workspace.orElse(null);
  }

  /** The decision log, when decisions are logged. */
  public Optional<DecisionLog> log() {
    return log;
  }

  /** The port the server listens on (the real one when 0 was configured). */
  public int port() {
    return port;
  }

  /** The engine the server decides with. */
  public PolicyEngine engine() {
    return engine;
  }

  /** The outcome of loading the policy directory at start. */
  public CompileResult firstLoad() {
    return firstLoad;
  }

  /** Stops accepting requests, then commits every decision still queued and closes the log. */
  @Override
  public void close() {
    watcher.close();
    workspace.ifPresent(WorkspaceWatcher::close);
    vertx.close().await();
    log.ifPresent(GatehouseServer::closeQuietly);
  }
}
