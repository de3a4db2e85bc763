package dev.gatehouse.server.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Tests against one running server per test class, without tokens, over the {@code execute} test gate. */
abstract class ExecuteGateServer {

  @TempDir static Path policies;
  static RunningServer server;

  @BeforeAll
  static void start() {
    server = RunningServer.start(TestPolicies.executeGate(policies));
  }

  @AfterAll
  static void stop() {
    server.close();
  }
}
