package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.rules.PolicyCompiler;
import dev.gatehouse.server.GatehouseServer;
import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** A real server on a free port over a policy directory, and a client for it. */
final class RunningServer implements AutoCloseable {

  final GatehouseServer server;
  private final Vertx vertx = Vertx.vertx();
  private final WebClient client;

  private RunningServer(GatehouseServer server) {
    this.server = server;
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
  }

  static RunningServer start(Path policies) {
    return start(policies, List.of());
  }

  static RunningServer start(Path policies, List<ApiToken> tokens) {
    return start(ServerConfig.defaults(policies).withPort(0).withTokens(tokens));
  }

  static RunningServer start(ServerConfig config) {
    try {
      return new RunningServer(GatehouseServer.start(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server whose policy sets, active and candidate, all compile with {@code compiler}. */
  static RunningServer start(ServerConfig config, PolicyCompiler compiler) {
    try {
      return new RunningServer(GatehouseServer.start(config, compiler));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  WebClient client() {
    return client;
  }

  int port() {
    return server.port();
  }

  HttpResponse<Buffer> get(String path, String token) {
    return send(HttpMethod.GET, path, null, null, token);
  }

  HttpResponse<Buffer> get(String path) {
    return get(path, null);
  }

  HttpResponse<Buffer> postJson(String path, String json) {
    return postJson(path, json, null);
  }

  HttpResponse<Buffer> postJson(String path, String json, String token) {
    return send(HttpMethod.POST, path, "application/json", Buffer.buffer(json.getBytes(StandardCharsets.UTF_8)), token);
  }

  /** Any request; a null content type or body is left out. */
  HttpResponse<Buffer> send(HttpMethod method, String path, String contentType, Buffer body, String token) {
    return send(method, path, contentType, body, token, null);
  }

  /** Any request naming {@code host} in its {@code Host} header (when not null), as through another DNS name. */
  HttpResponse<Buffer> send(HttpMethod method, String path, String contentType, Buffer body, String token, String host) {
    return sendLater(method, path, contentType, body, token, host).await();
  }

  /** Any request, answered later: for requests a test wants in flight together. */
  Future<HttpResponse<Buffer>> sendLater(
      HttpMethod method, String path, String contentType, Buffer body, String token, String host) {
    HttpRequest<Buffer> request = client.request(method, port(), "127.0.0.1", path);
    if (host != null) {
      request.virtualHost(host);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return body == null ? request.send() : request.sendBuffer(body);
  }

  /** A JSON post, answered later. */
  Future<HttpResponse<Buffer>> postJsonLater(String path, String json, String token) {
    return sendLater(HttpMethod.POST, path, "application/json", Buffer.buffer(json.getBytes(StandardCharsets.UTF_8)), token, null);
  }

  /** The value of an unlabelled metric, e.g. {@code gatehouse_policy_activations_total}; NaN when absent. */
  double metric(String name) {
    return get("/metrics").bodyAsString().lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).strip()))
        .findFirst().orElse(Double.NaN);
  }

  /**
   * Polls {@code GET /v1/policies} until {@code condition} holds, failing after {@code within}:
   * how a test waits for a policy edit to be picked up.
   */
  JsonNode awaitPolicies(String token, Duration within, Predicate<JsonNode> condition) {
    return Polling.await(within, "policy change", () -> json(get("/v1/policies", token)), condition);
  }


  static JsonNode json(HttpResponse<Buffer> response) {
    try {
      return Json.mapper().readTree(response.body().getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String errorCode(HttpResponse<Buffer> response) {
    return json(response).path("error").path("code").asText();
  }

  @Override
  public void close() {
    client.close();
    vertx.close().await();
    server.close();
  }
}
