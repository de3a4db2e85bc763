package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a web page in a browser on the server's machine could make the browser send: a request
 * through a name rebound to 127.0.0.1 (DNS rebinding), and a write from another site's page.
 */
class CrossSiteTest {

  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  @TempDir static Path policies;
  /** No tokens; {@code gatehouse.test} listed in allowedHosts. */
  static RunningServer open;
  /** Tokens, no allowedHosts. */
  static RunningServer authed;
  /** Tokens and allowedHosts. */
  static RunningServer listed;

  @BeforeAll
  static void start() {
    ServerConfig config = ServerConfig.defaults(TestPolicies.executeGate(policies)).withPort(0);
    open = RunningServer.start(config.withAllowedHosts(List.of("gatehouse.test")));
    authed = RunningServer.start(config.withTokens(Tokens.all()));
    listed = RunningServer.start(config.withTokens(Tokens.all()).withAllowedHosts(List.of("Gatehouse.Test")));
  }

  @AfterAll
  static void stop() {
    open.close();
    authed.close();
    listed.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"evil.example", "evil.example:8181", "127.0.0.1.evil.example", "localhost.evil.example",
      "127.0.0.256", "128.0.0.1", "0.0.0.0", "[::2]", "[fe80::1]", "[localhost]", "gatehouse.test.evil.example"})
  void withoutTokensRefusesAnyOtherHostNamingIt(String host) {
    RawHttp.Answer answer = get(open, "/v1/policies", host);

    assertThat(answer.status()).isEqualTo(403);
    JsonNode error = answer.error();
    assertThat(error.path("code").asText()).isEqualTo("host-not-allowed");
    assertThat(error.path("message").asText()).startsWith("host '" + host.replaceAll(":\\d+$", "") + "' is not allowed");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"localhost", "LocalHost:8181", "127.0.0.1", "127.0.0.1:1", "127.1.2.3:65535", "127.255.255.255",
      "[::1]", "[::1]:8181", "[0:0:0:0:0:0:0:1]", "gatehouse.test", "GATEHOUSE.test:443"})
  void withoutTokensAcceptsLoopbackNamesAndTheAllowedHostsOnAnyPort(String host) {
    assertThat(get(open, "/v1/policies", host).status()).isEqualTo(200);
  }

  @Test
  void refusesTheHostOnEveryRouteTheOpenOnesToo() {
    for (String path : List.of("/health/live", "/metrics", "/openapi.yaml", "/ui/", "/v1/decisions/x", "/v2/nothing")) {
      assertThat(get(open, path, "evil.example").status()).as(path).isEqualTo(403);
    }
  }

  @Test
  void refusesAnHttp10RequestWithoutHostWhenItChecksHosts() {
    try (RawHttp http = RawHttp.connect(open.port())) {
      RawHttp.Answer answer = http.send("GET /v1/policies HTTP/1.0\r\n\r\n").answer(PROMPTLY);

      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.error().path("code").asText()).isEqualTo("host-not-allowed");
    }
  }

  @Test
  void refusesTheHostBeforeReadingTheBody() {
    try (RawHttp http = RawHttp.connect(open.port())) {
      // A megabyte announced, one byte sent: the answer cannot be waiting for the rest.
      RawHttp.Answer answer = http.send(RawHttp.head("POST", "/v1/decisions", "evil.example",
          "Content-Type: application/json", "Content-Length: 1048576") + "{").answer(PROMPTLY);

      assertThat(answer.status()).isEqualTo(403);
    }
  }

  @Test
  void withTokensAcceptsAnyHostSinceARebindingPageHasNoToken() {
    assertThat(get(authed, "/v1/policies", "evil.example", "Authorization: Bearer " + Tokens.READER).status()).isEqualTo(200);
    assertThat(get(authed, "/v1/policies", "evil.example").status()).isEqualTo(401);
    assertThat(get(authed, "/health/live", "gatehouse.internal:8181").status()).isEqualTo(200);
  }

  @Test
  void withTokensAndAllowedHostsChecksTheHostToo() {
    assertThat(get(listed, "/v1/policies", "evil.example", "Authorization: Bearer " + Tokens.READER).status())
        .isEqualTo(403);
    assertThat(get(listed, "/v1/policies", "gatehouse.test:8181", "Authorization: Bearer " + Tokens.READER).status())
        .isEqualTo(200);
    assertThat(get(listed, "/v1/policies", "localhost", "Authorization: Bearer " + Tokens.READER).status())
        .isEqualTo(200);
  }

  @Test
  void refusesAWriteFromAnotherSitesPageWithOrWithoutTokens() {
    for (RunningServer server : List.of(open, authed)) {
      String host = "127.0.0.1:" + server.port();
      for (String origin : List.of("http://evil.example", "null", "http://127.0.0.1:" + (server.port() + 1),
          "https://evil.example:" + server.port(), "not an origin")) {
        RawHttp.Answer answer = post(server, host, "Origin: " + origin);

        assertThat(answer.status()).as(origin).isEqualTo(403);
        assertThat(answer.error().path("code").asText()).isEqualTo("origin-not-allowed");
        assertThat(answer.error().path("message").asText()).startsWith("cross-site request refused: origin '" + origin + "'");
      }
    }
  }

  @Test
  void acceptsAWriteFromItsOwnPagesAndFromClientsThatSendNoOrigin() {
    String host = "127.0.0.1:" + open.port();
    assertThat(post(open, host, "Origin: http://" + host).status()).isEqualTo(200);
    assertThat(post(open, "localhost:" + open.port(), "Origin: http://LOCALHOST:" + open.port()).status()).isEqualTo(200);
    assertThat(post(open, host).status()).isEqualTo(200);
    assertThat(post(authed, "127.0.0.1:" + authed.port(), "Origin: http://127.0.0.1:" + authed.port(),
        "Authorization: Bearer " + Tokens.DECIDER).status()).isEqualTo(200);
  }

  @Test
  void letsAReadCarryAForeignOriginSinceTheBrowserKeepsTheAnswerFromThePage() {
    assertThat(get(open, "/v1/policies", "127.0.0.1", "Origin: http://evil.example").status()).isEqualTo(200);
  }

  private static RawHttp.Answer get(RunningServer server, String path, String host, String... headers) {
    try (RawHttp http = RawHttp.connect(server.port())) {
      return http.send(RawHttp.head("GET", path, host, headers)).answer(PROMPTLY);
    }
  }

  private static RawHttp.Answer post(RunningServer server, String host, String... headers) {
    String body = TestPolicies.ALLOW_REQUEST;
    String[] all = new String[headers.length + 2];
    all[0] = "Content-Type: application/json";
    all[1] = "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length;
    System.arraycopy(headers, 0, all, 2, headers.length);
    try (RawHttp http = RawHttp.connect(server.port())) {
      return http.send(RawHttp.head("POST", "/v1/decisions", host, all) + body).answer(PROMPTLY);
    }
  }
}
