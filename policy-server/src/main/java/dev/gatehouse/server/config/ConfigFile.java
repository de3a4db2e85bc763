package dev.gatehouse.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatehouse.rules.EvaluationLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
 * limits: {maxFirings: 10000, maxWallTimeMillis: 2000}
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
 */
public record ConfigFile(
    String host, Integer port, Path policies, Path data, Long bodyLimit, Limits limits, List<TokenEntry> tokens) {

  /** The environment variable that can hold tokens: {@code name:token:role1+role2,name2:token2:role}. */
  public static final String TOKENS_VARIABLE = "GATEHOUSE_TOKENS";

  /** Nothing set. */
  public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null);

  // Unknown keys are an error: a misspelt "tokens" must not silently turn authentication off.
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

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
        throw new ConfigException("limits: " + e.getMessage());
      }
    }
  }

  /**
   * One token as written.
   *
   * @param name who holds it
   * @param token the secret
   * @param roles what it may do
   */
  public record TokenEntry(String name, String token, List<String> roles) {}

  /** Reads a YAML or JSON config file. */
  public static ConfigFile read(Path file) throws ConfigException {
    try {
      ConfigFile config = YAML.readValue(Files.readAllBytes(file), ConfigFile.class);
      return config == null ? EMPTY : config;
    } catch (JacksonException e) {
      String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines().findFirst().orElse("");
      throw new ConfigException("config file " + file + ": " + message);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
  }

  /** These settings, with every value {@code override} sets replacing this one's. */
  public ConfigFile overriddenBy(ConfigFile override) {
    return new ConfigFile(
        pick(override.host, host), pick(override.port, port), pick(override.policies, policies),
        pick(override.data, data), pick(override.bodyLimit, bodyLimit), pick(override.limits, limits),
        pick(override.tokens, tokens));
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
      all.add(ApiToken.of(entry.name, entry.token, roles(entry.roles)));
    }
    all.addAll(parseTokens(tokensVariable));
    return new ServerConfig(
        pick(policies, defaults.policies()), data, pick(host, defaults.host()), pick(port, defaults.port()),
        pick(bodyLimit, defaults.bodyLimit()), evaluation, all).validated();
  }

  /** Parses the token variable: {@code name:token:role1+role2}, comma separated; blank means none. */
  static List<ApiToken> parseTokens(String variable) throws ConfigException {
    List<ApiToken> parsed = new ArrayList<>();
    if (variable == null || variable.isBlank()) {
      return parsed;
    }
    for (String item : variable.split(",")) {
      String[] parts = item.strip().split(":", -1);
      if (parts.length != 3) {
        throw new ConfigException(TOKENS_VARIABLE + ": expected name:token:role1+role2, got an entry with "
            + parts.length + " part(s)");
      }
      parsed.add(ApiToken.of(parts[0], parts[1], roles(List.of(parts[2].split("\\+")))));
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

  private static <T> T pick(T first, T fallback) {
    return first != null ? first : fallback;
  }
}
