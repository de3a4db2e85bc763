package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.Role;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A handler behind {@link BearerAuth} sees who called: the name of the token, or anonymous. */
class PrincipalTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void handlersSeeTheTokenName() throws ConfigException {
    BearerAuth auth = new BearerAuth(List.of(ApiToken.of("ci", "ci-secret-0123456789", Set.of(Role.DECIDE), java.util.Set.of())));

    assertThat(callerSeenWith(auth, "ci-secret-0123456789")).isEqualTo("ci");
  }

  @Test
  void handlersSeeAnonymousWithoutTokens() {
    assertThat(callerSeenWith(new BearerAuth(List.of()), null)).isEqualTo("anonymous");
  }

  private String callerSeenWith(BearerAuth auth, String token) {
    Router router = Router.router(vertx);
    router.get("/who").handler(auth.require(Role.DECIDE)).handler(ctx -> ctx.end(Principal.of(ctx).name()));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    var request = WebClient.create(vertx).get(server.actualPort(), "127.0.0.1", "/who");
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.send().await().bodyAsString();
  }
}
