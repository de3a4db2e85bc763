package dev.gatehouse.server.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * {@code /ui/}: the reviewer console, static files from the jar's {@code ui/} folder. The pages hold
 * no secrets and need no token; every piece of data they show comes from the {@code /v1} API, which
 * checks the token the reviewer types in.
 */
public final class ConsoleHandler {

  /**
   * The console runs only its own scripts and styles and talks only to this server: with no
   * inline script allowed, a decision that smuggled markup into a message could not run code.
   */
  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'");

  private final StaticHandler files = StaticHandler.create("ui")
      // Served from the jar, so a new release must show at once rather than after a day's cache.
      .setCachingEnabled(false)
      .setDirectoryListing(false);

  /** Adds the console's routes to {@code router}. */
  public void mount(Router router) {
    // A regex: the plain path "/ui" would match "/ui/" as well and redirect it to itself.
    router.getWithRegex("/ui").handler(ConsoleHandler::redirect);
    router.get("/ui/*").handler(ConsoleHandler::secure).handler(files);
  }

  private static void redirect(RoutingContext ctx) {
    ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, "/ui/").end();
  }

  private static void secure(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
