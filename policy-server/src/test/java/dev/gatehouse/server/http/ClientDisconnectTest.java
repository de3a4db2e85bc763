package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away before its answer is not a server failure: the log gets a debug line
 * (the test configuration turns debug on for the error mapper), not an ERROR with a stack trace.
 */
class ClientDisconnectTest extends ExecuteGateServer {

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream original;

  @BeforeEach
  void captureTheLog() {
    // The simple logger writes to whatever System.err is when it writes.
    original = System.err;
    System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreTheLog() {
    System.setErr(original);
  }

  @Test
  void aClientThatResetsTheConnectionHalfWayThroughItsBodyIsADebugLine() {
    RawHttp http = RawHttp.connect(server.port());
    http.send(RawHttp.head("POST", "/v1/decisions", "127.0.0.1", "Content-Type: application/json", "Content-Length: 1000")
        + "{\"gate\": ");

    http.reset();

    String log = Polling.await(Duration.ofSeconds(5), "the debug line of the reset",
        () -> captured.toString(StandardCharsets.UTF_8), text -> text.contains("the client closed the connection"));
    assertThat(log).contains("DEBUG ErrorMapper - request POST /v1/decisions not answered: the client closed the connection");
    assertThat(log).doesNotContain("ERROR").doesNotContain("\tat ");
    assertThat(server.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST).statusCode()).isEqualTo(200);
  }

  /** Writes to the real standard error and to the capture. */
  private static final class Tee extends OutputStream {
    private final PrintStream console;
    private final ByteArrayOutputStream capture;

    Tee(PrintStream console, ByteArrayOutputStream capture) {
      this.console = console;
      this.capture = capture;
    }

    @Override
    public synchronized void write(int b) {
      console.write(b);
      capture.write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      console.write(bytes, offset, length);
      capture.write(bytes, offset, length);
    }
  }
}
