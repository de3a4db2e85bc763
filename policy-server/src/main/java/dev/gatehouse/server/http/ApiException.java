package dev.gatehouse.server.http;

/**
 * A request the API refuses, with the HTTP status, the stable error code and the message the
 * client sees. Thrown or passed to {@code RoutingContext.fail}; {@link ErrorMapper} writes it.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final String path;

  /** A refusal with no JSON path. */
  public ApiException(int status, String code, String message) {
    this(status, code, message, null);
  }

  /** A refusal naming the JSON path of the bad value (null when the whole request is at fault). */
  public ApiException(int status, String code, String message, String path) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.path = path == null || path.isEmpty() ? null : path;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The stable kebab-case error code. */
  public String code() {
    return code;
  }

  /** The JSON path of the bad value, or null. */
  public String path() {
    return path;
  }

  /** 400 {@code invalid-request}. */
  public static ApiException invalid(String path, String message) {
    return new ApiException(400, "invalid-request", message, path);
  }
}
