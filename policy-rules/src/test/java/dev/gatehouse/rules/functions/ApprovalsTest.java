package dev.gatehouse.rules.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Approval;
import dev.gatehouse.model.Issue;
import dev.gatehouse.model.Run;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalsTest {

  static final Instant NINE = Instant.parse("2026-06-01T09:00:00Z");
  static final Instant TEN = Instant.parse("2026-06-01T10:00:00Z");
  static final List<String> EXECUTE = List.of("execute");
  static final List<String> HUMANS = List.of("JP", "Hermes");

  static Approval approval(String approver, String scope, String decision, Instant at) {
    return new Approval("A-3", "I-1", approver, scope, null, at, decision, null, null);
  }

  static Issue issue(String type, String humanGate) {
    return new Issue("I-1", null, type, "ready", null, null, null, humanGate, null);
  }

  @Test
  void onlyAnAfkIssueWithoutAHumanGateNeedsNoHuman() {
    assertThat(Approvals.needed(issue("AFK", null))).isFalse();
    assertThat(Approvals.needed(issue("afk ", " "))).isFalse();
    assertThat(Approvals.needed(issue("AFK", "JP approves before execution."))).isTrue();
    assertThat(Approvals.needed(issue("HITL", null))).isTrue();
    assertThat(Approvals.needed(issue("human", null))).isTrue();
    assertThat(Approvals.needed(issue("A F K", null))).isTrue();
  }

  @Test
  void anApprovalThatCountsHasNothingToSay() {
    assertThat(Approvals.whyNot(approval("JP", "execute", null, NINE), EXECUTE, HUMANS)).isEmpty();
    assertThat(Approvals.whyNot(approval(" Hermes ", "Execute", "Approved", NINE), EXECUTE, HUMANS, TEN)).isEmpty();
    assertThat(Approvals.whyNot(approval("JP", "validate", null, null), List.of("validate", "execute"), HUMANS)).isEmpty();
  }

  @Test
  void aNearMissSaysWhyInOneSentence() {
    assertThat(Approvals.whyNot(approval("jp", "execute", null, NINE), EXECUTE, HUMANS))
        .containsExactly("approval A-3 is by 'jp', not JP or Hermes");
    assertThat(Approvals.whyNot(approval("JP\u00a0", "execute", null, NINE), EXECUTE, HUMANS))
        .containsExactly("approval A-3 is by 'JP\\u00a0', not JP or Hermes");
    assertThat(Approvals.whyNot(approval("JP", "validate", null, NINE), EXECUTE, HUMANS))
        .containsExactly("approval A-3 is of scope 'validate', not execute");
    assertThat(Approvals.whyNot(approval("alice", "validate", "rejected", NINE), List.of("validate", "execute"), HUMANS))
        .containsExactly("approval A-3 records the decision 'rejected', not approved, and is by 'alice', not JP or Hermes");
    assertThat(Approvals.whyNot(approval(null, null, null, NINE), EXECUTE, List.of("JP", "Hermes", "Ops")))
        .containsExactly("approval A-3 names no approver, not JP, Hermes or Ops, and names no scope, not execute");
  }

  @Test
  void aDeadlineAddsWhenTheApprovalCameTooLateOrHasNoTime() {
    Instant later = Instant.parse("2026-06-01T10:00:01Z");
    assertThat(Approvals.whyNot(approval("JP", "execute", null, later), EXECUTE, HUMANS, TEN))
        .containsExactly("approval A-3 was recorded at 2026-06-01T10:00:01Z, after the time of the request 2026-06-01T10:00:00Z");
    assertThat(Approvals.whyNot(approval("JP", "execute", null, null), EXECUTE, HUMANS, TEN))
        .containsExactly("approval A-3 has no recorded time");

    Run run = new Run("R-1", "I-1", "cto-harness", false, TEN, null, null);
    assertThat(Approvals.whyNot(approval("JP", "execute", null, TEN), EXECUTE, HUMANS, run)).isEmpty();
    assertThat(Approvals.whyNot(approval("JP", "execute", null, later), EXECUTE, HUMANS, run))
        .containsExactly("approval A-3 was recorded at 2026-06-01T10:00:01Z, after the first mutation of run R-1 at 2026-06-01T10:00:00Z");
    Run untimed = new Run("R-2", "I-1", "cto-harness", false, null, null, null);
    assertThat(Approvals.whyNot(approval("JP", "execute", null, NINE), EXECUTE, HUMANS, untimed))
        .containsExactly("approval A-3 cannot be shown to come before run R-2, which has no recorded first mutation");
  }
}
