package dev.gatehouse.server.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.function.IntConsumer;

/**
 * One event loop's HTTP server. Several instances listen on the same host and port; Vert.x spreads
 * connections over them.
 */
public final class HttpVerticle extends VerticleBase {

  private final ApiRoutes routes;
  private final String host;
  private final int port;
  private final IntConsumer bound;

  /** A server for {@code routes} on {@code host}:{@code port}, telling {@code bound} the actual port. */
  public HttpVerticle(ApiRoutes routes, String host, int port, IntConsumer bound) {
    this.routes = routes;
    this.host = host;
    this.port = port;
    this.bound = bound;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        // Decision requests are small and come from a few long-lived clients: keep connections warm.
        .setIdleTimeout(60)
        // The API has no WebSocket: without these Netty leaves its WebSocket extension handler out
        // of every connection, which otherwise looks at every request and answer.
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
    return vertx.createHttpServer(options)
        .requestHandler(routes.router(vertx, context))
        .listen()
        .map(HttpServer::actualPort)
        .onSuccess(bound::accept);
  }
}
