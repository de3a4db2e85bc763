package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A failure nobody anticipated is a generic 500: the detail stays in the server log. */
class ErrorMapperTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void answersAnUnexpectedFailureWithAGeneric500() {
    Router router = Router.router(vertx);
    router.get("/boom").handler(ctx -> {
      throw new IllegalStateException("secret detail at /etc/gatehouse/tokens.yaml");
    });
    router.route().failureHandler(new ErrorMapper(1024));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();

    HttpResponse<Buffer> response = WebClient.create(vertx).get(server.actualPort(), "127.0.0.1", "/boom").send().await();

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(response.bodyAsString()).isEqualTo(
        "{\"error\":{\"code\":\"internal-error\",\"message\":\"the server failed to answer; the error is in its log\"}}");
  }

  @Test
  void answersAPathTheRouterCannotDecodeWithA400EvenWithoutTheCheckUpFront() {
    Router router = Router.router(vertx);
    router.get("/things/:id").handler(ctx -> ctx.response().end());
    router.route().failureHandler(new ErrorMapper(1024));
    router.errorHandler(400, new ErrorMapper(1024).forStatus(400));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();

    HttpResponse<Buffer> response = WebClient.create(vertx).get(server.actualPort(), "127.0.0.1", "/things/%zz").send().await();

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsString()).isEqualTo(
        "{\"error\":{\"code\":\"invalid-request\",\"message\":\"the request could not be read\"}}");
  }
}
