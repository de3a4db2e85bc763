package dev.gatehouse.server.http;

import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A real server over a copy of the bundled policies, and a browser on its console; closed together. */
record ConsoleSession(RunningServer server, ConsoleBrowser browser) implements AutoCloseable {

  /**
   * Copies the bundled rule files into {@code policies} (so a test may edit them), serves them with the
   * decision log under {@code data}, and opens a browser; {@code tokens} empty leaves authentication off.
   */
  static ConsoleSession start(Path policies, Path data, List<ApiToken> tokens) throws IOException {
    copyBundledPolicies(policies);
    return open(ServerConfig.defaults(policies).withPort(0).withTokens(tokens).withData(data));
  }

  /** As {@link #start(Path, Path, List)} without tokens, deciding from {@code workspace}. */
  static ConsoleSession start(Path policies, Path data, Path workspace) throws IOException {
    copyBundledPolicies(policies);
    return open(ServerConfig.defaults(policies).withPort(0).withData(data).withWorkspace(workspace));
  }

  /** Copies the demo workspace ({@code examples/workspace}) into {@code target}, so a test may edit it. */
  static void copyDemoWorkspace(Path target) throws IOException {
    Path demo = Path.of(System.getProperty("gatehouse.root"), "examples", "workspace");
    try (Stream<Path> files = Files.walk(demo)) {
      for (Path from : files.filter(Files::isRegularFile).toList()) {
        Path to = target.resolve(demo.relativize(from).toString());
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
      }
    }
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

  private static void copyBundledPolicies(Path target) throws IOException {
    Path bundled = TestPolicies.bundled();
    try (Stream<Path> files = Files.list(bundled)) {
      for (Path file : files.filter(f -> f.toString().matches(".*\\.(drl|dsl|dslr)$")).toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
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
