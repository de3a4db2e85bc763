package dev.gatehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The baseline of {@code bench/http-bench.sh}: the least a Vert.x 5 server can do for a decision
 * request. It reads the body, parses it with Jackson into a tree, and answers a fixed decision of
 * about 1.8 KB ({@code bare-decision.json}: a real ALLOW of the execute gate, cut to 11 of its 23
 * checks); no routing, authentication, validation, engine, log or metrics. Set up as Gatehouse
 * is: one HTTP server per core on one port, TCP_NODELAY. What Gatehouse answers beyond this is
 * the cost of what it does beyond this.
 *
 * <p>Usage: {@code java -cp policy-bench/target/classes:policy-server/target/gatehouse.jar
 * dev.gatehouse.bench.BareVertxServer PORT} (the Gatehouse jar brings the same Vert.x and Jackson).
 * {@code GET} on any path answers 200 (the bench script's readiness probe); {@code POST} answers
 * the decision, or 400 when the body is not a JSON object.
 */
public final class BareVertxServer {

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private BareVertxServer() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: BareVertxServer PORT");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    byte[] decision = resource("/bare-decision.json");
    ObjectMapper mapper = new ObjectMapper();
    int cores = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
    vertx.deployVerticle(() -> new Server(port, mapper, decision), new DeploymentOptions().setInstances(cores)).await();
    System.out.println("bare vert.x serving a " + decision.length + "-byte decision on http://127.0.0.1:" + port);
  }

  private static final class Server extends VerticleBase {

    private final int port;
    private final ObjectMapper mapper;
    private final byte[] decision;

    Server(int port, ObjectMapper mapper, byte[] decision) {
      this.port = port;
      this.mapper = mapper;
      this.decision = decision;
    }

    @Override
    public Future<?> start() {
      HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true);
      return vertx.createHttpServer(options).requestHandler(this::handle).listen();
    }

    private void handle(HttpServerRequest request) {
      if (request.method() != HttpMethod.POST) {
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end("{\"status\":\"ready\"}");
        return;
      }
      request.body().onSuccess(body -> {
        JsonNode parsed;
        try {
          parsed = mapper.readTree(body.getBytes());
        } catch (IOException e) {
          parsed = null;
        }
        if (parsed == null || !parsed.isObject()) {
          request.response().setStatusCode(400).end();
          return;
        }
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(decision));
      });
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = BareVertxServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
