package dev.gatehouse.rules.drools.sandbox;

/**
 * Why a piece of rule code was refused, and where in that code: thrown inside the expression
 * checker and turned into one compile error per expression by {@link RuleSandbox}.
 */
final class Refusal extends RuntimeException {

  private final transient Token at;

  Refusal(Token at, String message) {
    super(message, null, false, false);
    this.at = at;
  }

  /** A refusal of a name that is not on the allow-list. */
  static Refusal notAllowed(Token at, String name) {
    return new Refusal(at, "'" + name + "' is not allowed in rules: " + AllowList.WHY);
  }

  Token at() {
    return at;
  }
}
