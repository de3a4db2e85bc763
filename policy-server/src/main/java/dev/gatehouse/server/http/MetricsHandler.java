package dev.gatehouse.server.http;

import dev.gatehouse.server.metrics.ServerMetrics;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** {@code /metrics}: the Prometheus text format, open like the health probes. */
public final class MetricsHandler {

  private static final CharSequence PROMETHEUS_TEXT = HttpHeaders.createOptimized("text/plain; version=0.0.4; charset=utf-8");

  private final ServerMetrics metrics;

  /** Serves {@code metrics}. */
  public MetricsHandler(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  /** {@code GET /metrics}. */
  public void scrape(RoutingContext ctx) {
    // Rendering every histogram bucket takes long enough to be kept off the event loop.
    ctx.vertx().executeBlocking(metrics::scrape, false)
        .onSuccess(text -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT).end(text))
        .onFailure(ctx::fail);
  }
}
