package dev.gatehouse.rules.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Doubt;
import org.junit.jupiter.api.Test;

class DoubtsTest {

  static Doubt doubt(String ref, String issue) {
    return new Doubt(ref, issue, Doubt.CONFLICT, "in a.yaml:1 and b.yaml:2", null);
  }

  @Test
  void aDoubtIsAboutTheFactItNames() {
    assertThat(Doubts.about(doubt("admission:acme/widgets", null), "admission", "acme/widgets")).isTrue();
    assertThat(Doubts.about(doubt("admission:acme/widgets", null), "admission", "acme/gadgets")).isFalse();
    assertThat(Doubts.about(doubt("issue:I-1", "I-1"), "issue", "I-1")).isTrue();
    assertThat(Doubts.about(doubt("issue:I-1", "I-1"), "admission", "I-1")).isFalse();
    assertThat(Doubts.about(doubt("issue:I-1", "I-1"), "issue", null)).isFalse();
  }

  @Test
  void aDoubtConcernsTheIssueItNamesOrIsAbout() {
    assertThat(Doubts.concerns(doubt("issue:I-1", null), "I-1")).isTrue();
    assertThat(Doubts.concerns(doubt("approval:A-1", "I-1"), "I-1")).isTrue();
    assertThat(Doubts.concerns(doubt("contract:I-1@acme/widgets", null), "I-1")).isTrue();
    assertThat(Doubts.concerns(doubt("approval:A-1", "I-2"), "I-1")).isFalse();
    assertThat(Doubts.concerns(doubt("issue:I-2", "I-2"), "I-1")).isFalse();
    assertThat(Doubts.concerns(doubt("contract:I-10@acme/widgets", null), "I-1")).isFalse();
    assertThat(Doubts.concerns(doubt("admission:acme/widgets", null), "I-1")).isFalse();
    assertThat(Doubts.concerns(doubt("issue:I-1", "I-1"), null)).isFalse();
  }

  @Test
  void aDoubtAboutAnIssuesFactThatNamesNoIssueConcernsEveryIssue() {
    for (String ref : new String[] {"approval:A-1", "evidence:E-1", "run:R-1"}) {
      assertThat(Doubts.concerns(doubt(ref, null), "I-1")).as(ref).isTrue();
      assertThat(Doubts.concerns(doubt(ref, " "), "I-7")).as(ref).isTrue();
    }
  }

  @Test
  void aDoubtReadBackFromItsLoggedRequestIsAboutTheSameFact() throws Exception {
    // A logged request is read back on replay: the doubt must name the same fact, not doubt:run:R-1.
    dev.gatehouse.model.DecisionRequest request = new dev.gatehouse.model.json.RequestReader().readRequest(
        "{\"gate\": \"merge\", \"subject\": \"I-1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] logged = dev.gatehouse.model.json.Json.writeRequest(
        request.withFacts(dev.gatehouse.model.Facts.of(java.util.List.of(doubt("run:R-1", null)))));
    Doubt again = new dev.gatehouse.model.json.RequestReader().readRequest(logged).facts().doubts().get(0);

    assertThat(Doubts.doubted(again)).isEqualTo("run:R-1");
    assertThat(Doubts.concerns(again, "I-1")).isTrue();
  }
}
