package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A path or query the server cannot decode is the caller's mistake: 400 naming it, never a 500. */
class RequestTargetTest {

  @TempDir static Path policies;
  @TempDir static Path data;
  static RunningServer server;

  @BeforeAll
  static void start() {
    server = RunningServer.start(ServerConfig.defaults(TestPolicies.executeGate(policies)).withPort(0).withData(data));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      GET  | /v1/decisions/%zz               | %zz | path
      GET  | /v1/decisions/ab%                | %   | path
      GET  | /v1/decisions/ab%4               | %4  | path
      POST | /v1/decisions/%zz/replay         | %zz | path
      GET  | /v1/decisions?subject=%zz        | %zz | query
      GET  | /v1/decisions?subject=X%2D1&to=% | %   | query
      GET  | /v1/decisions?%g1=x              | %g1 | query
      GET  | /health/live?x=%zz               | %zz | query
      GET  | /%zz                             | %zz | path
      GET  | /ui/%zz                          | %zz | path
      """)
  void refusesAMalformedPercentEscapeWith400NamingIt(String method, String target, String escape, String part) {
    try (RawHttp http = RawHttp.connect(server.port())) {
      RawHttp.Answer answer = http.send(RawHttp.head(method, target, "127.0.0.1")).answer(Duration.ofSeconds(5));

      assertThat(answer.status()).isEqualTo(400);
      JsonNode error = answer.error();
      assertThat(error.path("code").asText()).isEqualTo("invalid-request");
      assertThat(error.path("message").asText())
          .isEqualTo("malformed percent-escape '" + escape + "' in the " + part + ": '%' must be followed by two hex digits");
    }
  }

  @Test
  void decodesWellFormedEscapes() {
    server.postJson("/v1/decisions", TestPolicies.request("execute", "X-1", true));

    JsonNode listing = RunningServer.json(server.get("/v1/decisions?subject=%58%2D1"));

    assertThat(listing.path("items")).singleElement().satisfies(item -> assertThat(item.path("subject").asText()).isEqualTo("X-1"));
    assertThat(server.get("/v1/decisions/%41%42").statusCode()).isEqualTo(404);
  }

}
