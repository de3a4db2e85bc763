package dev.gatehouse.server.http;

import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.List;

/** A real server over a copy of the bundled policies, and a browser on its console; closed together. */
record ConsoleSession(RunningServer server, ConsoleBrowser browser) implements AutoCloseable {

  /**
   * Copies the bundled rule files into {@code policies} (so a test may edit them), serves them with the
   * decision log under {@code data}, and opens a browser; {@code tokens} empty leaves authentication off.
   */
  static ConsoleSession start(Path policies, Path data, List<ApiToken> tokens) {
    TestPolicies.copyOfBundled(policies);
    return open(ServerConfig.defaults(policies).withPort(0).withTokens(tokens).withData(data));
  }

  /** As {@link #start(Path, Path, List)} without tokens, deciding from {@code workspace}. */
  static ConsoleSession start(Path policies, Path data, Path workspace) {
    TestPolicies.copyOfBundled(policies);
    return open(ServerConfig.defaults(policies).withPort(0).withData(data).withWorkspace(workspace));
  }

  private static ConsoleSession open(ServerConfig config) {
    RunningServer server = RunningServer.start(config);
    try {
      return new ConsoleSession(server, ConsoleBrowser.open(server.port()));
    } catch (RuntimeException | AssertionError e) {
      server.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      server.close();
    }
  }
}
