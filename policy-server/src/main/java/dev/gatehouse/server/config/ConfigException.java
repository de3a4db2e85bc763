package dev.gatehouse.server.config;

import dev.gatehouse.model.json.Location;

/** A configuration the server refuses to start with; the message is one lower-case line. */
public final class ConfigException extends Exception {

  /** A configuration problem described by {@code message}. */
  public ConfigException(String message) {
    super(message, null, false, false);
  }

  /** A problem at {@code where}, such as the key {@code log.maxAge} or a line of the config file. */
  public ConfigException(Location where, String message) {
    this(where.describe(message));
  }
}
