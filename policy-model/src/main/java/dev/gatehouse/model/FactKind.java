package dev.gatehouse.model;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of governance facts, in the order they are inserted into a decision session. */
public enum FactKind {
  ISSUES("issues", Issue.class),
  ADMISSIONS("admissions", Admission.class),
  CONTRACTS("contracts", Contract.class),
  APPROVALS("approvals", Approval.class),
  EVIDENCE("evidence", Evidence.class),
  RUNS("runs", Run.class);

  private final String jsonName;
  private final Class<? extends Fact> type;

  FactKind(String jsonName, Class<? extends Fact> type) {
    this.jsonName = jsonName;
    this.type = type;
  }

  /** The field name of this kind in a request's {@code facts} object. */
  public String jsonName() {
    return jsonName;
  }

  /** The record type of facts of this kind. */
  public Class<? extends Fact> type() {
    return type;
  }

  /** The kind named {@code jsonName} in a request, if any. */
  public static Optional<FactKind> byJsonName(String jsonName) {
    return Arrays.stream(values()).filter(k -> k.jsonName.equals(jsonName)).findFirst();
  }

  /** The kind of a fact. */
  public static FactKind of(Fact fact) {
    for (FactKind kind : values()) {
      if (kind.type.isInstance(fact)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("not a governance fact: " + fact);
  }
}
