package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How much a reason weighs: a {@code deny} closes the gate, a {@code warn} is advice. */
public enum Severity {
  DENY,
  WARN;

  @JsonValue
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
