package dev.gatehouse.server.config;

import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyCompiler;
import dev.gatehouse.rules.drools.CompiledSetCache;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.json.Location;
import dev.gatehouse.rules.workspace.RequestFacts;

/**
 * The resolved configuration of a server: every value present and checked.
 *
 * @param policies the policy directory
 * @param data the data directory (where the decision log will live), or null
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param bodyLimit the largest request body accepted, in bytes
 * @param limits the bounds on one evaluation
 * @param tokens the accepted bearer tokens; empty turns authentication off (loopback only)
 * @param log the decision log settings; an SQLite log lives in {@code data}, so without one (and
 *     without a PostgreSQL log) nothing is logged
 * @param workspace the workspace directory, or null to take every fact from requests
 * @param allowedHosts the host names, besides loopback ones, that requests may name in {@code Host}
 *     (lower case); without tokens, or when set, any other is refused
 * @param concurrentBodies the most request bodies the server reads at once, over all connections
 * @param settle how long policy and workspace files must stay unchanged before a reload reads them
 * @param batchLimit the most requests one {@code POST /v1/decisions/batch} may carry
 * @param cache the directory of the compile cache (compiled policy sets by revision), or null to
 *     compile every set
 */
public record ServerConfig(
    Path policies, Path data, String host, int port, long bodyLimit, EvaluationLimits limits, List<ApiToken> tokens,
    LogSettings log, Path workspace, List<String> allowedHosts, int concurrentBodies,
    Duration settle, int batchLimit, Path cache) {

  /** The port the server binds when none is configured. */
  public static final int DEFAULT_PORT = 8181;

  /** The address the server binds when none is configured. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The body limit when none is configured: 1 MiB, far above a real request (a few KB). */
  public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;

  /**
   * Bodies read at once when not configured: a real request's body arrives within a millisecond, so
   * 64 leave ample room, and bound what slow senders can hold to 64 times the body limit.
   */
  public static final int DEFAULT_CONCURRENT_BODIES = 64;

  // A host name or an IPv4 address, or an IPv6 address in brackets: no scheme, port, path or user.
  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9_.-]*[a-z0-9_])?|\\[[0-9a-f:.]+]");

  /**
   * The settle interval when none is configured: longer than the pauses of an editor's save or a
   * copy, short enough that an edit is live within a second.
   */
  public static final Duration DEFAULT_SETTLE = Duration.ofMillis(300);

  /**
   * Requests a batch may carry when not configured: far more than a board's column or a harness's
   * step needs, few enough that one batch holds its worker thread for well under a second.
   */
  public static final int DEFAULT_BATCH_LIMIT = 100;

  /** The longest settle interval accepted: beyond it, a value is more likely a unit mistake. */
  public static final Duration MAX_SETTLE = Duration.ofSeconds(60);

  public ServerConfig {
    tokens = List.copyOf(tokens);
    log = log == null ? LogSettings.DEFAULT : log;
    allowedHosts = allowedHosts == null ? List.of()
        : allowedHosts.stream().map(h -> h == null ? "" : h.strip().toLowerCase(Locale.ROOT)).distinct().toList();
    settle = settle == null ? DEFAULT_SETTLE : settle;
  }

  /** A configuration without a compile cache. */
  public ServerConfig(
      Path policies, Path data, String host, int port, long bodyLimit, EvaluationLimits limits, List<ApiToken> tokens,
      LogSettings log, Path workspace, List<String> allowedHosts, int concurrentBodies,
      Duration settle, int batchLimit) {
    this(policies, data, host, port, bodyLimit, limits, tokens, log, workspace, allowedHosts, concurrentBodies, settle,
        batchLimit, null);
  }

  /** Defaults for everything but the policy directory, authentication off, no compile cache. */
  public static ServerConfig defaults(Path policies) {
    return new ServerConfig(policies, null, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_BODY_LIMIT, EvaluationLimits.DEFAULT,
        List.of(), LogSettings.DEFAULT, null, List.of(), DEFAULT_CONCURRENT_BODIES, DEFAULT_SETTLE, DEFAULT_BATCH_LIMIT);
  }

  /** Whether requests must carry a bearer token. */
  public boolean authenticated() {
    return !tokens.isEmpty();
  }

  /** Whether decisions are logged: the log is not turned off, and is on PostgreSQL or has a data directory. */
  public boolean logging() {
    return log.enabled() && (data != null || log.onPostgres());
  }

  /**
   * Whether the active policy set comes from the database rather than from the policy directory:
   * with the log on PostgreSQL, replicas share it, so that all of them decide with one set.
   */
  public boolean sharedPolicies() {
    return logging() && log.onPostgres();
  }

  /** The same configuration with other decision log settings. */
  public ServerConfig withLog(LogSettings log) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens, log, workspace,
        allowedHosts, concurrentBodies, settle, batchLimit);
  }

  /** The same configuration on another port, e.g. 0 in tests. */
  public ServerConfig withPort(int port) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens, log, workspace,
        allowedHosts, concurrentBodies, settle, batchLimit, cache);
  }

  /** The same configuration with these tokens. */
  public ServerConfig withTokens(List<ApiToken> tokens) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens, log, workspace,
        allowedHosts, concurrentBodies, settle, batchLimit, cache);
  }

  /** The same configuration logging decisions under {@code data}. */
  public ServerConfig withData(Path data) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens, log, workspace,
        allowedHosts, concurrentBodies, settle, batchLimit, cache);
  }

  /** The same configuration deciding with the facts of {@code workspace}. */
  public ServerConfig withWorkspace(Path workspace) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens, log, workspace,
        allowedHosts, concurrentBodies, settle, batchLimit, cache);
  }

  /** The same configuration accepting requests that name one of {@code allowedHosts} too. */
  public ServerConfig withAllowedHosts(List<String> allowedHosts) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens, log, workspace,
        allowedHosts, concurrentBodies, settle, batchLimit, cache);
  }

  /** The same configuration reading at most {@code concurrentBodies} request bodies at once. */
  public ServerConfig withConcurrentBodies(int concurrentBodies) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens, log, workspace,
        allowedHosts, concurrentBodies, settle, batchLimit, cache);
  }

  /** The same configuration with another settle interval, e.g. a short one in tests. */
  public ServerConfig withSettle(Duration settle) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens, log, workspace,
        allowedHosts, concurrentBodies, settle, batchLimit, cache);
  }

  /** The same configuration keeping compiled policy sets in {@code cache}, or compiling every set when null. */
  public ServerConfig withCache(Path cache) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens, log, workspace,
        allowedHosts, concurrentBodies, settle, batchLimit, cache);
  }

  /**
   * The compiler of every policy set this configuration decides with: the server's active and
   * candidate sets and every command's, so that all of them bound an evaluation the same way. With
   * a {@link #cache}, a revision compiled before is loaded from it (sandbox verdict included) and
   * every set compiled is kept there.
   */
  public PolicyCompiler compiler() {
    return new DroolsPolicyCompiler(limits, DroolsPolicyCompiler.MAX_COMPILE_TIME,
        cache == null ? null : CompiledSetCache.in(cache));
  }

  /**
   * Whether requests must name a loopback host or one of {@link #allowedHosts} in {@code Host}:
   * always without tokens, where a page of any site could otherwise reach the API through a name
   * rebound to 127.0.0.1 (a token is never sent by such a page); with tokens, once hosts are listed.
   */
  public boolean checksHost() {
    return !authenticated() || !allowedHosts.isEmpty();
  }

  /**
   * Refuses what must not run: without tokens anyone who can reach the port could ask for and read
   * decisions, so an unauthenticated server binds a loopback address only.
   */
  public ServerConfig validated() throws ConfigException {
    if (port < 0 || port > 65_535) {
      throw new ConfigException("port " + port + " is out of range 0-65535");
    }
    if (bodyLimit < 1024) {
      throw new ConfigException("bodyLimit " + bodyLimit + " is below the minimum of 1024 bytes");
    }
    if (concurrentBodies < 1) {
      throw new ConfigException("concurrentBodies " + concurrentBodies + " must be at least 1");
    }
    for (String allowed : allowedHosts) {
      if (!HOST_NAME.matcher(allowed).matches()) {
        throw new ConfigException(Location.of("allowedHosts"), "'" + allowed + "' is not a host name or address;"
            + " give a name such as gatehouse.internal, without scheme or port (any port is accepted)");
      }
    }
    if (batchLimit < 1) {
      throw new ConfigException("batchLimit " + batchLimit + " must be at least 1");
    }
    if (settle.isNegative() || settle.compareTo(MAX_SETTLE) > 0) {
      throw new ConfigException("settleMillis " + settle.toMillis() + " is out of range 0-" + MAX_SETTLE.toMillis());
    }
    if (!authenticated() && !loopback(host)) {
      throw new ConfigException("refusing to bind " + host + " without authentication: configure tokens"
          + " (--config FILE or GATEHOUSE_TOKENS) or bind a loopback address such as 127.0.0.1");
    }
    long names = tokens.stream().map(ApiToken::name).distinct().count();
    if (names != tokens.size()) {
      throw new ConfigException("two tokens share a name; every token needs its own name");
    }
    return this;
  }

  private static boolean loopback(String host) throws ConfigException {
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      throw new ConfigException("unknown host '" + host + "'");
    }
  }
}
