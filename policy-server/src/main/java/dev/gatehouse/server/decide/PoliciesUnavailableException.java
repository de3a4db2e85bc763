package dev.gatehouse.server.decide;

/** No policy set has ever compiled, so nothing can be decided: callers answer 503 (fail closed). */
public final class PoliciesUnavailableException extends RuntimeException {

  /** No policy set has compiled yet, so nothing can be decided. */
  public PoliciesUnavailableException() {
    super("no policy set is loaded: fix the policy directory (see GET /v1/policies)", null, false, false);
  }
}
