package dev.gatehouse.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code /openapi.yaml}: the API's own description, kept next to the code as a resource. */
public final class OpenApiHandler {

  /** The classpath resource holding the OpenAPI document. */
  public static final String RESOURCE = "/openapi.yaml";

  private static final CharSequence YAML = HttpHeaders.createOptimized("application/yaml");

  private final byte[] document;

  /** Reads the document once, at start. */
  public OpenApiHandler() {
    try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code GET /openapi.yaml}. */
  public void serve(RoutingContext ctx) {
    // A fresh buffer per answer: one buffer written from several event loops is not safe.
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, YAML).end(Buffer.buffer(document));
  }
}
