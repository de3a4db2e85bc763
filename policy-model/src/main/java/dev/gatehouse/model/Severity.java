package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** How much a reason weighs: a {@code deny} closes the gate, a {@code warn} is advice. */
public enum Severity {
  DENY,
  WARN;

  // A field, not the method: Jackson reads a @JsonValue method by reflection on every value it
  // writes, and the method lower-cased the name each time (a decision writes one per reason).
  @JsonValue
  private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

  /** The name in JSON: {@code passed}, {@code deny}. */
  public String jsonName() {
    return jsonName;
  }
}
