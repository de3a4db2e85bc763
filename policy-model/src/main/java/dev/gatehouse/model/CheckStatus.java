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

  @JsonValue
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
