package dev.gatehouse.rules.drools;

import dev.gatehouse.model.Request;
import java.util.Optional;
import org.drools.base.base.ClassObjectType;
import org.drools.base.base.ObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.LeftInputAdapterNode;
import org.drools.core.reteoo.LeftTupleSource;
import org.drools.core.reteoo.ObjectTypeNode;
import org.drools.core.reteoo.TerminalNode;
import org.kie.api.KieBase;

/**
 * Whether a gate's KieBase may keep standing facts resident in a session between decisions, read
 * from its compiled network (internal API, kept in this one place).
 *
 * <p>A resident session is reused only if every match of every rule is new in each decision, so
 * that a rule fires again for the next decision exactly as in a fresh session. That holds when each
 * rule's network starts from the {@link Request} (its first pattern is {@code Request}): every
 * partial match then contains the request, which is inserted for one decision and taken out as the
 * next one begins, and all that stays behind are the standing facts' own memories (alpha and right-input
 * memories), which no decision changes. A rule that can match standing facts alone (first pattern
 * another fact, a {@code not}/{@code exists} first, no pattern at all) would fire in the first
 * decision of a session and never again: such a gate is decided on fresh sessions.
 *
 * <p>Rules that use agenda state — agenda groups other than MAIN, auto-focus, activation groups,
 * ruleflow groups, lock-on-active — are refused too: that state lives in the session, not in the
 * matches, and a fresh session starts without it.
 */
final class ResidentEligibility {

  private ResidentEligibility() {}

  /** Why {@code base} cannot keep facts resident, or empty when it can. */
  static Optional<String> whyNot(KieBase base) {
    Optional<String> agendaState = agendaState(base);
    if (agendaState.isPresent()) {
      return agendaState;
    }
    for (TerminalNode[] terminals : ((InternalRuleBase) base).getReteooBuilder().getTerminalNodes().values()) {
      for (TerminalNode terminal : terminals) {
        RuleImpl rule = terminal.getRule();
        if (rule.isQuery()) {
          return Optional.of("query '" + rule.getName() + "'");
        }
        if (!startsFromRequest(terminal)) {
          return Optional.of("rule '" + rule.getName() + "' does not start with a Request pattern");
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Which rule of {@code base} uses agenda state, if any. Such a base must not reuse sessions at
   * all, not even reset pooled ones: a pooled session reset by Drools 10.2 no longer enforces an
   * activation group (every match of the group fires from its second decision on; see
   * ResidentDecisionsTest).
   */
  static Optional<String> agendaState(KieBase base) {
    for (TerminalNode[] terminals : ((InternalRuleBase) base).getReteooBuilder().getTerminalNodes().values()) {
      for (TerminalNode terminal : terminals) {
        Optional<String> state = agendaState(terminal.getRule());
        if (state.isPresent()) {
          return state;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> agendaState(RuleImpl rule) {
    String name = "rule '" + rule.getName() + "'";
    if (!rule.isMainAgendaGroup()) {
      return Optional.of(name + " has agenda group '" + rule.getAgendaGroup() + "'");
    }
    if (rule.getAutoFocus()) {
      return Optional.of(name + " has auto-focus");
    }
    if (rule.getActivationGroup() != null) {
      return Optional.of(name + " has activation group '" + rule.getActivationGroup() + "'");
    }
    if (rule.getRuleFlowGroup() != null && !rule.getRuleFlowGroup().isEmpty()
        && !rule.getRuleFlowGroup().equals(rule.getAgendaGroup())) {
      return Optional.of(name + " has ruleflow group '" + rule.getRuleFlowGroup() + "'");
    }
    if (rule.isLockOnActive()) {
      return Optional.of(name + " has lock-on-active");
    }
    if (rule.getTimer() != null) {
      return Optional.of(name + " has a timer");
    }
    return Optional.empty();
  }

  /** Whether the root of the terminal's left input chain takes its tuples from Request facts. */
  private static boolean startsFromRequest(TerminalNode terminal) {
    LeftTupleSource source = terminal.getLeftTupleSource();
    while (source != null && source.getLeftTupleSource() != null) {
      source = source.getLeftTupleSource();
    }
    if (!(source instanceof LeftInputAdapterNode adapter)) {
      return false;
    }
    ObjectTypeNode types = adapter.getObjectTypeNode();
    ObjectType type = types == null ? null : types.getObjectType();
    return type instanceof ClassObjectType classType && classType.getClassType() == Request.class;
  }
}
