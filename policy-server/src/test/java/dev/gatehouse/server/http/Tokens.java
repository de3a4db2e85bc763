package dev.gatehouse.server.http;

import dev.gatehouse.model.FactKind;
import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.Role;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The bearer tokens of the server tests: one per role, a reviewer who may also replay candidate
 * sets, and two deciders that supply facts.
 */
final class Tokens {

  static final String DECIDER = "decider-secret-0123456789";
  static final String READER = "reader-secret-0123456789";
  static final String ADMIN = "admin-secret-0123456789";
  /** Read and admin: what replaying a logged decision against a candidate set takes. */
  static final String REVIEWER = "reviewer-secret-0123456789";
  /** Decides, and supplies what a harness records: runs and evidence. */
  static final String HARNESS = "harness-secret-0123456789";
  /** Decides, and supplies issues. */
  static final String PLANNER = "planner-secret-0123456789";
  /** Decides, and supplies every kind: for tests whose requests bring their own facts to a workspace server. */
  static final String FEEDER = "feeder-secret-0123456789";

  private Tokens() {}

  /** {@code ci} decides, {@code dashboard} reads, {@code operator} administers, {@code reviewer} reads and administers. */
  static List<ApiToken> all() {
    try {
      return List.of(
          ApiToken.of("ci", DECIDER, Set.of(Role.DECIDE), Set.of()),
          ApiToken.of("dashboard", READER, Set.of(Role.READ), Set.of()),
          ApiToken.of("operator", ADMIN, Set.of(Role.ADMIN), Set.of()),
          ApiToken.of("reviewer", REVIEWER, Set.of(Role.READ, Role.ADMIN), Set.of()),
          ApiToken.of("harness", HARNESS, Set.of(Role.DECIDE), Set.of(FactKind.RUNS, FactKind.EVIDENCE)),
          ApiToken.of("planner", PLANNER, Set.of(Role.DECIDE), Set.of(FactKind.ISSUES)),
          ApiToken.of("feeder", FEEDER, Set.of(Role.DECIDE), EnumSet.complementOf(EnumSet.of(FactKind.DOUBTS))));
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
  }
}
