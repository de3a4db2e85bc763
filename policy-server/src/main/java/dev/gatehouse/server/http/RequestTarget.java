package dev.gatehouse.server.http;

import io.vertx.ext.web.RoutingContext;

/**
 * The request's path and query as sent. A malformed percent-escape ({@code %zz}, or a {@code %} near
 * the end) is refused as 400 up front: left to the router, it fails while a route's path
 * parameters are decoded, which no handler sees and which answered 500.
 */
final class RequestTarget {

  private RequestTarget() {}

  /** Lets the request through only if every {@code %} in its path and query starts two hex digits. */
  static void requireWellFormed(RoutingContext ctx) {
    String uri = ctx.request().uri();
    for (int at = uri.indexOf('%'); at >= 0; at = uri.indexOf('%', at + 1)) {
      if (at + 2 >= uri.length() || !hex(uri.charAt(at + 1)) || !hex(uri.charAt(at + 2))) {
        int query = uri.indexOf('?');
        String part = query >= 0 && at > query ? "query" : "path";
        String escape = uri.substring(at, Math.min(at + 3, uri.length()));
        ctx.fail(ApiException.invalid(null, "malformed percent-escape '" + escape + "' in the " + part
            + ": '%' must be followed by two hex digits"));
        return;
      }
    }
    ctx.next();
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
