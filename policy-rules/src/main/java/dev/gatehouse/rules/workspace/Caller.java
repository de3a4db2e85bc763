package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.FactKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who asks for a decision, as far as facts go: the name the decision's sources give for the facts
 * it brought, and the kinds it may bring while a workspace is in use.
 *
 * @param name the principal, e.g. a token's name or {@code cli:jp}
 * @param supplies the fact kinds its requests may carry while a workspace is in use
 */
public record Caller(String name, Set<FactKind> supplies) {

  public Caller {
    supplies = Set.copyOf(supplies);
  }

  /**
   * A caller who may bring every kind (but doubts, which only Gatehouse finds): replays of logged
   * requests, which were accepted when they were decided.
   */
  public static Caller replaying(String name) {
    return new Caller(name, EnumSet.complementOf(EnumSet.of(FactKind.DOUBTS)));
  }

  /** How the decision's sources name a fact this caller brought. */
  public String source() {
    return "request (principal " + name + ")";
  }
}
