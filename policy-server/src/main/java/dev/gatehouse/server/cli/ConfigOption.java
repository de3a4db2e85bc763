package dev.gatehouse.server.cli;

import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.server.files.FileErrors;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.ConfigFile;
import dev.gatehouse.server.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, shared by every command: the server's config file, so that {@code eval},
 * {@code replay}, {@code test} and {@code check} compile and bound evaluations exactly as {@code
 * serve} does with the same file.
 */
final class ConfigOption {

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML or JSON config file: tokens, limits, bodyLimit, concurrentBodies, allowedHosts, settleMillis, batchLimit,"
          + " host, port, policies, data, log, workspace, cache.")
  Path file;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "Keep compiled policy sets in DIR, so that a revision compiled before is loaded, not compiled"
          + " (default: $XDG_CACHE_HOME/gatehouse/policy-sets or ~/.cache/gatehouse/policy-sets).")
  Path cache;

  @Option(names = "--no-cache", description = "Compile every policy set, and keep none.")
  boolean noCache;

  /**
   * {@code flags} over the config file over the defaults (the bundled policies and demo
   * workspace, {@code data/}); tokens from the file and {@value ConfigFile#TOKENS_VARIABLE}.
   */
  ServerConfig resolve(ConfigFile flags) throws ConfigException {
    ConfigFile defaults = new ConfigFile(null, null, PolicyDirectory.bundled(), Path.of("data"), null, null, null,
        null, PolicyDirectory.bundledWorkspace(), null);
    ConfigFile read = file == null ? ConfigFile.EMPTY : ConfigFile.read(file);
    ServerConfig resolved = defaults.overriddenBy(read).overriddenBy(flags).resolve(System.getenv(ConfigFile.TOKENS_VARIABLE));
    if (noCache) {
      return resolved.withCache(null);
    }
    return cache != null ? resolved.withCache(cache) : resolved;
  }

  /** The configuration with {@code policies} (when given) as the policy directory. */
  ServerConfig resolve(Path policies) throws ConfigException {
    return resolve(new ConfigFile(null, null, policies, null, null, null, null, null, null, null));
  }

  /** The policy directory commands use: {@code policies} when given, else the config's, else the bundled one. */
  Path policies(Path policies) {
    try {
      return resolve(policies).policies();
    } catch (ConfigException e) {
      return PolicyDirectory.orBundled(policies);
    }
  }

  /**
   * The policy set of {@code policies} (when given, else the config's, else the bundled one),
   * compiled as the configuration says; null after printing why there is none.
   */
  PolicySet compile(Path policies, String command, PrintWriter err) throws IOException {
    ServerConfig config;
    try {
      config = resolve(policies);
    } catch (ConfigException e) {
      err.println("gatehouse " + command + ": " + e.getMessage());
      return null;
    }
    Path dir = config.policies();
    CompileResult result;
    try {
      result = config.compiler().compile(PolicyFiles.read(dir));
    } catch (IOException e) {
      err.println("gatehouse " + command + ": " + FileErrors.describe(e));
      return null;
    }
    if (!result.succeeded()) {
      result.errors().forEach(issue -> err.println(issue.describe()));
      err.println("policies in " + dir + " do not compile; run gatehouse check " + dir);
      return null;
    }
    return result.policySet().orElseThrow();
  }
}
