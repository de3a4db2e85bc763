package dev.gatehouse.server.board;

import java.time.Instant;
import java.util.List;

/**
 * What a board shows.
 *
 * @param at the time to decide at; null for now
 * @param actor the actor every request names
 * @param gates the gates to show, in the policy set's order; empty for every gate it declares
 * @param issue the one issue to show; null for every issue of the workspace
 * @param explain whether each cell carries its whole decision (checks, trace, ignored facts)
 */
public record BoardQuery(Instant at, String actor, List<String> gates, String issue, boolean explain) {

  /** The actor a board asks as when none is named: the harness that asks the gates for real. */
  public static final String DEFAULT_ACTOR = "cto-harness";

  public BoardQuery {
    actor = actor == null ? DEFAULT_ACTOR : actor;
    gates = gates == null ? List.of() : List.copyOf(gates);
  }
}
