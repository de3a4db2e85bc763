package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies sent slowly: a caller the server refuses never gets to send its body, and the bodies read
 * at once are bounded, so slow senders on many connections cannot hold a body limit's worth of
 * memory each.
 */
class SlowBodiesTest {

  private static final Duration PROMPTLY = Duration.ofSeconds(5);
  private static final String BODY = TestPolicies.ALLOW_REQUEST;
  private static final int BODY_LENGTH = BODY.getBytes(StandardCharsets.UTF_8).length;

  @TempDir static Path policies;
  @TempDir static Path data;
  /** Tokens, a decision log, one body read at a time. */
  static RunningServer authed;
  /** No tokens, two bodies read at a time. */
  static RunningServer open;

  @BeforeAll
  static void start() {
    ServerConfig config = ServerConfig.defaults(TestPolicies.executeGate(policies)).withPort(0);
    authed = RunningServer.start(config.withTokens(Tokens.all()).withData(data).withConcurrentBodies(1));
    open = RunningServer.start(config.withConcurrentBodies(2));
  }

  @AfterAll
  static void stop() {
    authed.close();
    open.close();
  }

  @Test
  void answersAnUnauthenticatedCallerBeforeItsBodyAndWithoutTakingAPlace() {
    // The one place is held by an authenticated caller that is slow to send.
    try (RawHttp held = slowBody(authed, "Authorization: Bearer " + Tokens.DECIDER)) {
      awaitBusy(authed, "Authorization: Bearer " + Tokens.DECIDER);
      for (String path : List.of("/v1/decisions", "/v1/policies/check", "/v1/decisions/x/replay")) {
        try (RawHttp http = RawHttp.connect(authed.port())) {
          // A megabyte announced, one byte sent: only an answer that does not wait for the body comes in time.
          RawHttp.Answer answer = http.send(RawHttp.head("POST", path, "127.0.0.1",
              "Content-Type: application/json", "Content-Length: 1048576") + "{").answer(PROMPTLY);

          assertThat(answer.status()).as(path).isEqualTo(401);
        }
      }
      // A token without the route's role is refused before its body as well.
      try (RawHttp http = RawHttp.connect(authed.port())) {
        RawHttp.Answer answer = http.send(RawHttp.head("POST", "/v1/policies/check", "127.0.0.1",
            "Content-Type: application/json", "Content-Length: 1048576", "Authorization: Bearer " + Tokens.DECIDER) + "{")
            .answer(PROMPTLY);

        assertThat(answer.status()).isEqualTo(403);
      }
      held.send(BODY.substring(1));
      assertThat(held.answer(PROMPTLY).status()).isEqualTo(200);
    }
  }

  @Test
  void refusesBodiesBeyondTheBoundWith503AndTakesThemAgainOnceAPlaceIsFree() {
    List<RawHttp> refused = new ArrayList<>();
    try (RawHttp first = slowBody(open); RawHttp second = slowBody(open)) {
      awaitBusy(open);
      for (int i = 0; i < 5; i++) {
        RawHttp http = slowBody(open);
        refused.add(http);
        RawHttp.Answer answer = http.answer(PROMPTLY);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isEqualTo("1");
        assertThat(answer.body()).contains("\"code\":\"server-busy\"")
            .contains("the server is reading 2 request bodies already; retry shortly");
      }
      // A body read to its end gives its place back.
      first.send(BODY.substring(1));
      assertThat(first.answer(PROMPTLY).status()).isEqualTo(200);
      assertThat(complete(open).status()).isEqualTo(200);

      try (RawHttp third = slowBody(open)) {
        awaitBusy(open);
        // So does a body whose client goes away half way.
        second.reset();
        Polling.await(PROMPTLY, "the place of a client that went away", () -> complete(open).status(), s -> s == 200);
        third.send(BODY.substring(1));
        assertThat(third.answer(PROMPTLY).status()).isEqualTo(200);
      }
    } finally {
      refused.forEach(RawHttp::close);
    }
  }

  @Test
  void aBodyRefusedAsTooLargeGivesItsPlaceBack() {
    for (int i = 0; i < 4; i++) {
      try (RawHttp http = RawHttp.connect(open.port())) {
        RawHttp.Answer answer = http.send(RawHttp.head("POST", "/v1/decisions", "127.0.0.1",
            "Content-Type: application/json", "Content-Length: 2000000")).answer(PROMPTLY);

        assertThat(answer.status()).isEqualTo(413);
      }
    }
    assertThat(complete(open).status()).isEqualTo(200);
  }

  /** A decision request whose head and first byte are sent, the rest held back. */
  private static RawHttp slowBody(RunningServer server, String... headers) {
    List<String> all = new ArrayList<>(List.of("Content-Type: application/json", "Content-Length: " + BODY_LENGTH));
    all.addAll(List.of(headers));
    return RawHttp.connect(server.port())
        .send(RawHttp.head("POST", "/v1/decisions", "127.0.0.1", all.toArray(String[]::new)) + BODY.charAt(0));
  }

  /** Waits until the server refuses a complete request for want of a place: every place is held. */
  private static void awaitBusy(RunningServer server, String... headers) {
    Polling.await(PROMPTLY, "every body place held", () -> complete(server, headers).status(), s -> s == 503);
  }

  private static RawHttp.Answer complete(RunningServer server, String... headers) {
    List<String> all = new ArrayList<>(List.of("Content-Type: application/json", "Content-Length: " + BODY_LENGTH));
    all.addAll(List.of(headers));
    try (RawHttp http = RawHttp.connect(server.port())) {
      return http.send(RawHttp.head("POST", "/v1/decisions", "127.0.0.1", all.toArray(String[]::new)) + BODY)
          .answer(PROMPTLY);
    }
  }
}
