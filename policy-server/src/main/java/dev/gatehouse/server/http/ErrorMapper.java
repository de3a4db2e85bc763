package dev.gatehouse.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.rules.workspace.FactsNotPermittedException;
import dev.gatehouse.server.decide.PoliciesUnavailableException;
import dev.gatehouse.server.log.LogUnavailableException;
import dev.gatehouse.server.replay.DecidedWith;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failure becomes an HTTP answer: {@code {"error": {"code", "message", "path"}}}
 * with a stable code. Anything it does not recognise is a 500 with a generic message; the detail,
 * stack trace included, goes to the server log only.
 */
public final class ErrorMapper implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
  private static final int MAX_QUOTED_PATH = 200;
  private static final String GONE = "gatehouse.clientGone";

  /** The body of every error answer. */
  record ErrorBody(Error error) {}

  /** What went wrong: a stable code, one line for a person, and the JSON path when one value is at fault. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Error(String code, String message, String path) {

    static Error of(ApiException error) {
      return new Error(error.code(), error.getMessage(), error.path());
    }
  }

  private final long bodyLimit;

  /** A mapper that quotes {@code bodyLimit} when refusing a body as too large. */
  public ErrorMapper(long bodyLimit) {
    this.bodyLimit = bodyLimit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    handle(ctx, ctx.statusCode());
  }

  /**
   * The error handler for {@code status}: the router calls it without setting the status on the
   * context when it fails by itself (a path parameter it cannot decode is a 400 without a status).
   */
  public Handler<RoutingContext> forStatus(int status) {
    return ctx -> handle(ctx, ctx.statusCode() == -1 ? status : ctx.statusCode());
  }

  private void handle(RoutingContext ctx, int status) {
    HttpServerResponse response = ctx.response();
    if (clientGone(ctx)) {
      // Nobody to answer, and nothing wrong with the server: not worth more than a debug line, and
      // one per request (a reset fails a body being read, then its close fails it again).
      if (ctx.get(GONE) != null) {
        return;
      }
      ctx.put(GONE, Boolean.TRUE);
      LOG.debug("request {} {} not answered: the client closed the connection ({})", ctx.request().method(),
          quote(ctx.request().path()), String.valueOf(ctx.failure()));
      return;
    }
    ApiException error = toApiException(ctx, status);
    if (response.headWritten()) {
      // Too late for an error body: the client sees a cut connection rather than a wrong answer.
      LOG.error("request {} {} failed after its answer started", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
      response.reset();
      return;
    }
    if (error.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, JsonBodies.JSON)
        .end(Buffer.buffer(JsonBodies.encode(new ErrorBody(Error.of(error)))));
  }

  /**
   * Whether the failure is the connection's end: a reset or a close while the request was read or
   * answered. Only the connection's own exceptions count, so that a server failure that happens to
   * come after the client left (the log refusing a decision, a bug) is still logged as such.
   */
  private static boolean clientGone(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    return failure instanceof HttpClosedException
        || failure instanceof SocketException
        || failure instanceof ClosedChannelException
        // Netty's native transports report a reset as their own IOException.
        || (failure instanceof IOException && failure.getClass().getName().startsWith("io.netty."))
        || (failure == null && ctx.response().closed());
  }

  /**
   * The answer to a failure of the decision path, which the API names with its own code; empty for
   * any other failure. A batch answers each of its requests' failures with it.
   */
  static Optional<ApiException> known(Throwable failure) {
    if (failure instanceof ApiException api) {
      return Optional.of(api);
    }
    if (failure instanceof FactsNotPermittedException refused) {
      return Optional.of(new ApiException(403, "facts-not-permitted", refused.getMessage(), refused.path()));
    }
    if (failure instanceof PoliciesUnavailableException unavailable) {
      return Optional.of(new ApiException(503, "policies-unavailable", unavailable.getMessage()));
    }
    if (failure instanceof InvalidInputException invalid) {
      return Optional.of(ApiException.invalid(invalid.path(), invalid.getMessage()));
    }
    if (failure instanceof DecidedWith.SnapshotMissingException missing) {
      return Optional.of(new ApiException(404, "snapshot-not-found", missing.getMessage()));
    }
    if (failure instanceof LogUnavailableException log) {
      // Never answer a decision that was not recorded: the caller retries instead.
      LOG.warn("decision not answered: {}", log.getMessage());
      return Optional.of(new ApiException(503, log.code(), log.getMessage()));
    }
    return Optional.empty();
  }

  private ApiException toApiException(RoutingContext ctx, int status) {
    Throwable failure = ctx.failure();
    Optional<ApiException> known = known(failure);
    if (known.isPresent()) {
      if (failure instanceof LogUnavailableException) {
        ctx.response().putHeader("Retry-After", "1");
      }
      return known.get();
    }
    String where = ctx.request().method() + " " + quote(ctx.request().path());
    switch (status) {
      case 400:
        return ApiException.invalid(null, "the request could not be read");
      case 404:
        return new ApiException(404, "not-found", "no resource at " + where);
      case 405:
        return new ApiException(405, "method-not-allowed", "method not allowed: " + where);
      case 413:
        return new ApiException(413, "body-too-large", "the request body is larger than " + bodyLimit + " bytes");
      case 415:
        return new ApiException(415, "unsupported-media-type", "the request body must be application/json");
      default:
        LOG.error("request {} failed with status {}", where, status, failure);
        return new ApiException(500, "internal-error", "the server failed to answer; the error is in its log");
    }
  }

  private static String quote(String path) {
    String p = path == null ? "" : path;
    return p.length() > MAX_QUOTED_PATH ? p.substring(0, MAX_QUOTED_PATH) + "..." : p;
  }
}
