package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** The result of one rule of a gate in one decision. */
public enum CheckStatus {
  /** The rule raised no deny and no warning. */
  PASSED,
  /** The rule raised at least one deny. */
  FAILED,
  /** The rule raised warnings only. */
  WARNED;

  // A field, not the method: Jackson reads a @JsonValue method by reflection on every value it
  // writes, and the method lower-cased the name each time (a decision writes one per check).
  @JsonValue
  private final String jsonName = name().toLowerCase(java.util.Locale.ROOT);

  /** The name in JSON: {@code passed}, {@code deny}. */
  public String jsonName() {
    return jsonName;
  }
}
