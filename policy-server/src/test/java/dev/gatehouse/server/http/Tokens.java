package dev.gatehouse.server.http;

import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.Role;
import java.util.List;
import java.util.Set;

/** The bearer tokens of the server tests: one per role, and a reviewer who may also replay candidate sets. */
final class Tokens {

  static final String DECIDER = "decider-secret-0123456789";
  static final String READER = "reader-secret-0123456789";
  static final String ADMIN = "admin-secret-0123456789";
  /** Read and admin: what replaying a logged decision against a candidate set takes. */
  static final String REVIEWER = "reviewer-secret-0123456789";

  private Tokens() {}

  /** {@code ci} decides, {@code dashboard} reads, {@code operator} administers, {@code reviewer} reads and administers. */
  static List<ApiToken> all() {
    try {
      return List.of(
          ApiToken.of("ci", DECIDER, Set.of(Role.DECIDE)),
          ApiToken.of("dashboard", READER, Set.of(Role.READ)),
          ApiToken.of("operator", ADMIN, Set.of(Role.ADMIN)),
          ApiToken.of("reviewer", REVIEWER, Set.of(Role.READ, Role.ADMIN)));
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
  }
}
