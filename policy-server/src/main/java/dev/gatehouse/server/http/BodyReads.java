package dev.gatehouse.server.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bound on the request bodies the server buffers at once, over every connection and event loop:
 * each may hold up to the body limit until its last byte arrives, so without a bound a client
 * sending bodies slowly on many connections could hold that much memory on each. Over the bound a
 * request is answered 503 {@code server-busy} with {@code Retry-After: 1} before its body is read.
 *
 * <p>A body holds its place from {@link #enter()} until it has been read ({@link #leave}), or until
 * its request ends otherwise (refused as too large, or the client went away).
 */
final class BodyReads {

  private static final String KEY = "gatehouse.bodyRead";

  private final int capacity;
  private final AtomicInteger reading = new AtomicInteger();

  /** At most {@code capacity} bodies read at once. */
  BodyReads(int capacity) {
    this.capacity = capacity;
  }

  /** The step before the body handler: takes a place, or refuses the request when none is free. */
  PlatformHandler enter() {
    return ctx -> {
      if (!declaresBody(ctx.request())) {
        ctx.next();
        return;
      }
      if (reading.incrementAndGet() > capacity) {
        reading.decrementAndGet();
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
        ctx.fail(new ApiException(503, "server-busy",
            "the server is reading " + capacity + " request bodies already; retry shortly"));
        return;
      }
      AtomicBoolean held = new AtomicBoolean(true);
      ctx.put(KEY, held);
      // Whatever ends the request first gives the place back: the body read, a refusal, a closed connection.
      ctx.addEndHandler(ended -> giveBack(held));
      ctx.next();
    };
  }

  /** The step after the body handler: the body is in memory, so its place is free for the next one. */
  void leave(RoutingContext ctx) {
    AtomicBoolean held = ctx.get(KEY);
    if (held != null) {
      giveBack(held);
    }
    ctx.next();
  }

  private void giveBack(AtomicBoolean held) {
    if (held.compareAndSet(true, false)) {
      reading.decrementAndGet();
    }
  }

  private static boolean declaresBody(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      return true;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return length != null && !length.strip().equals("0");
  }
}
