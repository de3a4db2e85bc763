package dev.gatehouse.model;

/** The outcome of a gate: allowed or denied. There is no third value: an error denies. */
public enum Outcome {
  ALLOW,
  DENY
}
