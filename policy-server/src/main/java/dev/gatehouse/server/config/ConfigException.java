package dev.gatehouse.server.config;

/** A configuration the server refuses to start with; the message is one lower-case line. */
public final class ConfigException extends Exception {

  /** A configuration problem described by {@code message}. */
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
