package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /ui/}: the console's files, open without a token, under a policy that runs only the console's own files. */
class ConsoleHandlerTest {

  static final Path UI = Path.of(System.getProperty("basedir", "."), "src", "main", "resources", "ui");

  @TempDir static Path policies;
  static RunningServer server;

  @BeforeAll
  static void start() throws ConfigException {
    server = RunningServer.start(TestPolicies.executeGate(policies),
        List.of(ApiToken.of("dashboard", "reader-secret-0123456789", Set.of(Role.READ), java.util.Set.of())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void redirectsTheBarePathToTheConsole() {
    HttpResponse<Buffer> response = server.client().get(server.port(), "127.0.0.1", "/ui").followRedirects(false).send().await();

    assertThat(response.statusCode()).isEqualTo(301);
    assertThat(response.getHeader("Location")).isEqualTo("/ui/");
  }

  @Test
  void servesThePagesWithoutATokenUnderAStrictContentSecurityPolicy() {
    for (String path : List.of("/ui/", "/ui/console.css", "/ui/js/main.js")) {
      HttpResponse<Buffer> response = server.get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.getHeader("Content-Security-Policy")).as(path).startsWith("default-src 'self'")
          .doesNotContain("unsafe");
      assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    }
    assertThat(server.get("/ui/").getHeader("Content-Type")).startsWith("text/html");
    assertThat(server.get("/ui/js/main.js").getHeader("Content-Type")).contains("javascript");
  }

  @Test
  void keepsTheApiBehindItsToken() {
    assertThat(server.get("/v1/policies").statusCode()).isEqualTo(401);
  }

  @Test
  void answersAMissingFileWithTheJsonNotFoundError() {
    HttpResponse<Buffer> response = server.get("/ui/js/nothing.js");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(RunningServer.errorCode(response)).isEqualTo("not-found");
  }

  /** The CSP forbids inline code; the scripts must also never turn API data into markup. */
  @Test
  void theAssetsHoldNoInlineCodeAndNeverParseDataAsMarkup() throws IOException {
    String index = Files.readString(UI.resolve("index.html"));
    assertThat(index).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("style=", "onclick", "http://", "https://");
    try (Stream<Path> scripts = Files.list(UI.resolve("js"))) {
      for (Path script : scripts.toList()) {
        assertThat(Files.readString(script)).as(script.getFileName().toString())
            .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "localStorage", "cookie");
      }
    }
  }
}
