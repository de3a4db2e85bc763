package dev.gatehouse.server.log;

import java.util.Objects;

/**
 * A logged decision with its links in the hash chain ({@link Verification}), as exported and
 * imported.
 *
 * @param decision the decision
 * @param previous the previous decision's hash, lowercase hex; null for a decision logged before the chain
 * @param hash its own hash, lowercase hex; null for a decision logged before the chain
 */
public record ChainedDecision(LoggedDecision decision, String previous, String hash) {

  public ChainedDecision {
    Objects.requireNonNull(decision, "decision");
  }
}
