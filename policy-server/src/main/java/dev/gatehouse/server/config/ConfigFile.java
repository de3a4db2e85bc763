package dev.gatehouse.server.config;

import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.json.Document;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.Location;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.workspace.RequestFacts;
import dev.gatehouse.server.log.LogSync;
import dev.gatehouse.server.log.PostgresUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The settings of a config file ({@code --config FILE}, YAML or JSON) or of the command line; an
 * absent value is null and falls back to the next source, then to the default.
 *
 * <pre>
 * host: 127.0.0.1
 * port: 8181
 * policies: policies
 * bodyLimit: 1048576
 * concurrentBodies: 64
 * allowedHosts: [gatehouse.internal]
 * limits: {maxFirings: 10000, maxWallTimeMillis: 2000}
 * data: data
 * log: {enabled: true, maxAge: P90D, maxRows: 10000000, queueCapacity: 10000}
 * # replicas: log: {store: postgresql, url: "postgresql://gatehouse@db.internal:5432/gatehouse"}
 * workspace: examples/workspace
 * workspaceOnly: [approvals]
 * settleMillis: 300
 * batchLimit: 100
 * cache: {directory: ~/.cache/gatehouse/policy-sets, enabled: true}
 * tokens:
 *   - {name: ci, token: "a-long-random-secret", roles: [decide, read]}
 * </pre>
 *
 * @param host the address to bind
 * @param port the port to bind
 * @param policies the policy directory
 * @param data the data directory
 * @param bodyLimit the largest request body, in bytes
 * @param limits the bounds on one evaluation
 * @param tokens the bearer tokens
 * @param log the decision log settings
 * @param workspace the workspace directory
 * @param workspaceOnly the fact kinds a request may not carry while the workspace is in use
 * @param allowedHosts host names besides loopback ones that requests may name in {@code Host}
 * @param concurrentBodies the most request bodies read at once
 * @param settleMillis how long policy and workspace files must stay unchanged before a reload reads them
 * @param batchLimit the most requests one decision batch may carry
 * @param cache the compile cache: where compiled policy sets are kept, or that none are
 */
public record ConfigFile(
    String host, Integer port, Path policies, Path data, Long bodyLimit, Limits limits, List<TokenEntry> tokens,
    LogSection log, Path workspace, List<String> workspaceOnly, List<String> allowedHosts, Integer concurrentBodies,
    Long settleMillis, Integer batchLimit, CacheSection cache) {

  /** The environment variable that can hold tokens: {@code name:token:role1+role2,name2:token2:role}. */
  public static final String TOKENS_VARIABLE = "GATEHOUSE_TOKENS";

  /** Nothing set. */
  public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** Settings without {@code cache}. */
  public ConfigFile(String host, Integer port, Path policies, Path data, Long bodyLimit, Limits limits,
      List<TokenEntry> tokens, LogSection log, Path workspace, List<String> workspaceOnly, List<String> allowedHosts,
      Integer concurrentBodies, Long settleMillis, Integer batchLimit) {
    this(host, port, policies, data, bodyLimit, limits, tokens, log, workspace, workspaceOnly, allowedHosts,
        concurrentBodies, settleMillis, batchLimit, null);
  }

  /** Settings without {@code allowedHosts}, {@code concurrentBodies}, {@code settleMillis} and {@code batchLimit}. */
  public ConfigFile(String host, Integer port, Path policies, Path data, Long bodyLimit, Limits limits,
      List<TokenEntry> tokens, LogSection log, Path workspace, List<String> workspaceOnly) {
    this(host, port, policies, data, bodyLimit, limits, tokens, log, workspace, workspaceOnly, null, null, null, null, null);
  }

  /**
   * Evaluation bounds.
   *
   * @param maxFirings the most rule firings one decision may take
   * @param maxWallTimeMillis the longest one decision may run
   */
  public record Limits(Integer maxFirings, Long maxWallTimeMillis) {

    EvaluationLimits over(EvaluationLimits defaults) throws ConfigException {
      try {
        return new EvaluationLimits(
            pick(maxFirings, defaults.maxFirings()),
            maxWallTimeMillis == null ? defaults.maxWallTime() : Duration.ofMillis(maxWallTimeMillis));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(Location.of("limits"), e.getMessage());
      }
    }
  }

  /**
   * The compile cache as written. Without one, compiled policy sets are kept in
   * {@link #defaultCacheDirectory()}.
   *
   * @param directory where compiled policy sets are kept (readable and writable by this user only)
   * @param enabled false to compile every policy set and keep none
   */
  public record CacheSection(Path directory, Boolean enabled) {

    Path resolve() {
      if (Boolean.FALSE.equals(enabled)) {
        return null;
      }
      return directory != null ? directory : defaultCacheDirectory();
    }
  }

  /**
   * Where compiled policy sets are kept unless configured: {@code $XDG_CACHE_HOME/gatehouse/policy-sets},
   * or {@code ~/.cache/gatehouse/policy-sets} when that variable is not set to an absolute path.
   */
  public static Path defaultCacheDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("gatehouse").resolve("policy-sets");
  }

  /**
   * One token as written.
   *
   * @param name who holds it
   * @param token the secret
   * @param roles what it may do
   * @param supplies the fact kinds its requests may carry while a workspace is in use (JSON names)
   */
  public record TokenEntry(String name, String token, List<String> roles, List<String> supplies) {}

  /**
   * The decision log as written.
   *
   * @param enabled false to answer decisions without logging them (benchmarks only)
   * @param maxAge how long decisions are kept, ISO-8601 (e.g. {@code P90D}); absent keeps them
   * @param maxRows the most decisions kept; absent keeps all
   * @param queueCapacity decisions waiting to be written before the server answers 503
   * @param sync {@code normal} (survives a killed process; the default) or {@code full} (also a power cut)
   * @param store {@code sqlite} (a file in the data directory; the default) or {@code postgresql}
   *     (a database replicas share, at {@code url})
   * @param url the PostgreSQL database: {@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE}
   *     or a {@code jdbc:postgresql:} URL
   */
  public record LogSection(Boolean enabled, String maxAge, Long maxRows, Integer queueCapacity, String sync,
      String store, String url) {

    /** A section naming no store: SQLite. */
    public LogSection(Boolean enabled, String maxAge, Long maxRows, Integer queueCapacity, String sync) {
      this(enabled, maxAge, maxRows, queueCapacity, sync, null, null);
    }

    // Checked here, not when the log opens: a bad value is a config error (exit 2, naming the key),
    // not a server that "cannot serve".
    LogSettings resolve() throws ConfigException {
      Duration age = null;
      if (maxAge != null) {
        try {
          age = Duration.parse(maxAge);
        } catch (RuntimeException e) {
          throw new ConfigException(Location.of("log.maxAge"), "'" + maxAge + "' is not an ISO-8601 duration such as P90D");
        }
        if (age.isZero() || age.isNegative()) {
          throw new ConfigException(Location.of("log.maxAge"), "'" + maxAge + "' must be positive");
        }
        // The log keeps times as epoch nanoseconds, from 1677 on: older cut-offs cannot be stored.
        if (age.compareTo(Duration.ofDays(36_500)) > 0) {
          throw new ConfigException(Location.of("log.maxAge"), "'" + maxAge + "' must be at most P36500D (100 years)");
        }
      }
      if (maxRows != null && maxRows < 0) {
        throw new ConfigException(Location.of("log.maxRows"), maxRows + " must not be negative");
      }
      if (queueCapacity != null && queueCapacity < 1) {
        throw new ConfigException(Location.of("log.queueCapacity"), queueCapacity + " must be at least 1");
      }
      LogSync mode = LogSync.NORMAL;
      if (sync != null) {
        try {
          mode = LogSync.valueOf(sync.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(Location.of("log.sync"), "'" + sync + "' is not one of normal, full");
        }
      }
      return new LogSettings(!Boolean.FALSE.equals(enabled), age, maxRows, queueCapacity, mode, postgres());
    }

    /** The PostgreSQL database when the store is one, checked; null for SQLite. */
    private PostgresUrl postgres() throws ConfigException {
      String kind = store == null ? (url == null ? "sqlite" : "postgresql") : store.strip().toLowerCase(Locale.ROOT);
      switch (kind) {
        case "sqlite" -> {
          if (url != null) {
            throw new ConfigException(Location.of("log.url"), "a url is for store: postgresql; the sqlite log is"
                + " decisions.db in the data directory");
          }
          return null;
        }
        case "postgresql", "postgres" -> {
          if (url == null) {
            throw new ConfigException(Location.of("log.url"), "store: postgresql needs the database's url, such as"
                + " postgresql://gatehouse@db.internal:5432/gatehouse (or --log-url)");
          }
          try {
            return PostgresUrl.parse(url);
          } catch (IllegalArgumentException e) {
            throw new ConfigException(Location.of("log.url"), e.getMessage());
          }
        }
        default -> throw new ConfigException(Location.of("log.store"), "'" + store + "' is not one of sqlite, postgresql");
      }
    }
  }

  /**
   * Reads a YAML or JSON config file as strictly as a request: an unknown key (a misspelt "tokens"
   * must not silently turn authentication off), a duplicate key or a value of the wrong type is
   * refused, naming the file, line and key.
   */
  public static ConfigFile read(Path file) throws ConfigException {
    try {
      ConfigFile config = Document.read(file.toString(), Files.readAllBytes(file), Json.yaml()).bind(ConfigFile.class);
      return config == null ? EMPTY : config;
    } catch (InvalidInputException e) {
      throw new ConfigException(e.location(), e.getMessage());
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
  }

  /** These settings, with every value {@code override} sets replacing this one's. */
  public ConfigFile overriddenBy(ConfigFile override) {
    return new ConfigFile(
        pick(override.host, host), pick(override.port, port), pick(override.policies, policies),
        pick(override.data, data), pick(override.bodyLimit, bodyLimit), pick(override.limits, limits),
        pick(override.tokens, tokens), pick(override.log, log), pick(override.workspace, workspace),
        pick(override.workspaceOnly, workspaceOnly), pick(override.allowedHosts, allowedHosts),
        pick(override.concurrentBodies, concurrentBodies), pick(override.settleMillis, settleMillis),
        pick(override.batchLimit, batchLimit), pick(override.cache, cache));
  }

  /**
   * The server configuration: these settings over the defaults, with the tokens of this file and
   * of {@code tokensVariable} (the value of {@value #TOKENS_VARIABLE}, or null), validated.
   */
  public ServerConfig resolve(String tokensVariable) throws ConfigException {
    ServerConfig defaults = ServerConfig.defaults(Path.of("policies"));
    EvaluationLimits evaluation = limits == null ? defaults.limits() : limits.over(defaults.limits());
    List<ApiToken> all = new ArrayList<>();
    for (TokenEntry entry : tokens == null ? List.<TokenEntry>of() : tokens) {
      if (entry == null) {
        throw new ConfigException("a token entry is empty");
      }
      all.add(ApiToken.of(entry.name, entry.token, roles(entry.roles), supplies(entry.name, entry.supplies)));
    }
    all.addAll(parseTokens(tokensVariable));
    if (workspaceOnly != null) {
      // The old switch named what requests may not carry; now each token names what it may.
      throw new ConfigException("workspaceOnly (--workspace-only) is gone: while a workspace is in use, a request"
          + " may carry only the fact kinds its token lists in 'supplies' (none without tokens)");
    }
    return new ServerConfig(
        pick(policies, defaults.policies()), data, pick(host, defaults.host()), pick(port, defaults.port()),
        pick(bodyLimit, defaults.bodyLimit()), evaluation, all,
        log == null ? LogSettings.DEFAULT : log.resolve(), workspace, allowedHosts,
        pick(concurrentBodies, defaults.concurrentBodies()),
        settleMillis == null ? defaults.settle() : Duration.ofMillis(settleMillis),
        pick(batchLimit, defaults.batchLimit()), cache == null ? defaultCacheDirectory() : cache.resolve()).validated();
  }

  /**
   * Parses the token variable: {@code name:token:role1+role2[:kind1+kind2]}, comma separated, the
   * last part the kinds the token supplies; blank means none.
   */
  static List<ApiToken> parseTokens(String variable) throws ConfigException {
    List<ApiToken> parsed = new ArrayList<>();
    if (variable == null || variable.isBlank()) {
      return parsed;
    }
    for (String item : variable.split(",")) {
      String[] parts = item.strip().split(":", -1);
      if (parts.length != 3 && parts.length != 4) {
        throw new ConfigException(TOKENS_VARIABLE + ": expected name:token:role1+role2[:kind1+kind2], got an entry with "
            + parts.length + " part(s)");
      }
      List<String> supplies = parts.length == 4 ? List.of(parts[3].split("\\+")) : List.of();
      parsed.add(ApiToken.of(parts[0], parts[1], roles(List.of(parts[2].split("\\+"))), supplies(parts[0], supplies)));
    }
    return parsed;
  }

  private static Set<Role> roles(List<String> labels) throws ConfigException {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String label : labels == null ? List.<String>of() : labels) {
      if (!label.isBlank()) {
        roles.add(Role.parse(label.strip()));
      }
    }
    return roles;
  }

  private static Set<FactKind> supplies(String token, List<String> kinds) throws ConfigException {
    try {
      return RequestFacts.parseKinds(kinds == null ? "" : String.join(",", kinds));
    } catch (InvalidInputException e) {
      throw new ConfigException("token '" + token + "' supplies: " + e.getMessage());
    }
  }

  private static <T> T pick(T first, T fallback) {
    return first != null ? first : fallback;
  }
}
