package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.PolicyRef;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionDiffTest {

  static Decision deny(Reason... reasons) {
    return new Decision("id", "execute", "I-1", Instant.parse("2026-06-02T10:00:00Z"), Outcome.DENY, List.of(reasons),
        List.of(), List.of(), Map.of(), List.of(), new PolicyRef("sha256:a", 1), null, 1);
  }

  static Reason missing(String remedy) {
    return new Reason("approval-missing", Severity.DENY, "I-1 has no approval", "approval", List.of("issue:I-1"), remedy);
  }

  @Test
  void aRemedyAddedOrRewordedIsNoDifference() {
    assertThat(DecisionDiff.of(deny(missing(null)), deny(missing("record an approval"))).unchanged()).isTrue();
    assertThat(DecisionDiff.of(deny(missing("record one")), deny(missing("record an approval"))).unchanged()).isTrue();
  }

  @Test
  void anotherMessageIsADifference() {
    Reason other = new Reason("approval-missing", Severity.DENY, "I-1 has no approval by JP", "approval",
        List.of("issue:I-1"), "record an approval");

    DecisionDiff diff = DecisionDiff.of(deny(missing(null)), deny(other));

    assertThat(diff.unchanged()).isFalse();
    assertThat(diff.reasonsAdded()).containsExactly(other);
    assertThat(diff.reasonsRemoved()).containsExactly(missing(null));
  }
}
