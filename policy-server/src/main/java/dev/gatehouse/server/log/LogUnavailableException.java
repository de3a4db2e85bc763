package dev.gatehouse.server.log;

/**
 * The log cannot take or give decisions; since a decision is not answered unless logged, the
 * server answers with an error instead.
 *
 * <p>{@link #code()} is a stable error code: {@value #OVERLOADED} when the write queue is full (try
 * again shortly), {@value #UNAVAILABLE} when the file cannot be written or read, or the log is
 * closed.
 */
public final class LogUnavailableException extends RuntimeException {

  /** The write queue is full. */
  public static final String OVERLOADED = "log-overloaded";

  /** The log file cannot be written or read, or the log is closed. */
  public static final String UNAVAILABLE = "log-unavailable";

  private final String code;

  private LogUnavailableException(String code, String message, Throwable cause, boolean stackTrace) {
    super(message, cause, false, stackTrace);
    this.code = code;
  }

  // No stack trace: under overload this is thrown per request and says all there is to say.
  static LogUnavailableException overloaded(int capacity) {
    return new LogUnavailableException(
        OVERLOADED, "decision log queue is full (" + capacity + " decisions waiting)", null, false);
  }

  static LogUnavailableException unavailable(String message, Throwable cause) {
    return new LogUnavailableException(UNAVAILABLE, message, cause, true);
  }

  /** {@value #OVERLOADED} or {@value #UNAVAILABLE}. */
  public String code() {
    return code;
  }
}
