package dev.gatehouse.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactsTest {

  @Test
  void theComponentsAreTheKindsInOrderNamedAndTypedByThem() {
    RecordComponent[] components = Facts.class.getRecordComponents();

    assertThat(Arrays.stream(components).map(RecordComponent::getName))
        .containsExactlyElementsOf(Arrays.stream(FactKind.values()).map(FactKind::jsonName).toList());
    for (FactKind kind : FactKind.values()) {
      ParameterizedType list = (ParameterizedType) components[kind.ordinal()].getGenericType();
      assertThat(list.getActualTypeArguments()).containsExactly(kind.type());
    }
  }

  @Test
  void everyKindReadsItsOwnFactsAndGroupsBackTheSame() {
    Issue issue = new Issue("I-1", "t", "HITL", "candidate", null, null, null, null, null);
    Approval approval = new Approval("A-1", "I-1", "JP", "execute", "ok", Instant.EPOCH, null, null, null);
    Run run = new Run("R-1", "I-1", "cto-harness", false, Instant.EPOCH, List.of("src/a"), null);

    Facts facts = Facts.of(List.of(run, approval, issue));

    assertThat(List.<Fact>copyOf(FactKind.ISSUES.in(facts))).containsExactly(issue);
    assertThat(List.<Fact>copyOf(FactKind.APPROVALS.in(facts))).containsExactly(approval);
    assertThat(List.<Fact>copyOf(FactKind.RUNS.in(facts))).containsExactly(run);
    assertThat(facts.size()).isEqualTo(3);
    assertThat(facts.sorted()).containsExactly(issue, approval, run);
    assertThat(facts.plus(facts).size()).isEqualTo(6);
    assertThat(facts.with(FactKind.APPROVALS, List.of()).approvals()).isEmpty();
    assertThat(Facts.EMPTY.size()).isZero();
  }

  @Test
  void refsAreTheKindsPrefixAndKey() {
    assertThat(new Approval("A-1", "I-1", null, null, null, null, null, null, null).ref()).isEqualTo("approval:A-1");
    assertThat(FactKind.CONTRACTS.ref("I-1@acme/widgets")).isEqualTo("contract:I-1@acme/widgets");
  }
}
