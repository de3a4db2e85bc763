package dev.gatehouse.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gatehouse.model.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.util.Locale;

/** JSON bodies: reading requests and writing answers the same way in every handler. */
final class JsonBodies {

  /** The content type of every JSON answer; created once so Netty can reuse its encoded bytes. */
  static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private static final byte[] EMPTY = new byte[0];

  private JsonBodies() {}

  /** Refuses a body that is not declared as JSON with 415, before the body is read. */
  static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    int params = type == null ? -1 : type.indexOf(';');
    String mediaType = type == null ? "" : (params < 0 ? type : type.substring(0, params)).strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      ctx.fail(415);
      return;
    }
    ctx.next();
  }

  /** The request body as bytes; empty when there is none. */
  static byte[] body(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    return body == null ? EMPTY : body.getBytes();
  }

  /** {@code value} as JSON bytes, with the shared mapper (so a decision reads as the CLI prints it). */
  static byte[] encode(Object value) {
    try {
      return Json.mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code json} with {@code status}. */
  static void send(RoutingContext ctx, int status, byte[] json) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(json));
  }
}
