package dev.gatehouse.server.config;

import dev.gatehouse.rules.EvaluationLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

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
 */
public record ServerConfig(
    Path policies, Path data, String host, int port, long bodyLimit, EvaluationLimits limits, List<ApiToken> tokens) {

  /** The port the server binds when none is configured. */
  public static final int DEFAULT_PORT = 8181;

  /** The address the server binds when none is configured. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The body limit when none is configured: 1 MiB, far above a real request (a few KB). */
  public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;

  public ServerConfig {
    tokens = List.copyOf(tokens);
  }

  /** Defaults for everything but the policy directory, authentication off. */
  public static ServerConfig defaults(Path policies) {
    return new ServerConfig(policies, null, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_BODY_LIMIT, EvaluationLimits.DEFAULT, List.of());
  }

  /** Whether requests must carry a bearer token. */
  public boolean authenticated() {
    return !tokens.isEmpty();
  }

  /** The same configuration on another port, e.g. 0 in tests. */
  public ServerConfig withPort(int port) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens);
  }

  /** The same configuration with these tokens. */
  public ServerConfig withTokens(List<ApiToken> tokens) {
    return new ServerConfig(policies, data, host, port, bodyLimit, limits, tokens);
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
