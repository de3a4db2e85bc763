package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rules.CompileIssue.Severity;
import org.junit.jupiter.api.Test;

class CompileIssueTest {

  @Test
  void describesThePositionItKnowsAndNoMore() {
    assertThat(new CompileIssue("a.drl", 9, 3, Severity.ERROR, "bad").describe()).isEqualTo("a.drl:9:3: bad");
    assertThat(new CompileIssue("merge.dslr", 56, 0, Severity.ERROR, "bad").describe()).isEqualTo("merge.dslr:56: bad");
    assertThat(new CompileIssue("a.drl", 0, 0, Severity.WARNING, "odd").describe()).isEqualTo("a.drl: warning: odd");
    assertThat(new CompileIssue("", 0, 0, Severity.ERROR, "no rules").describe()).isEqualTo("<policies>: no rules");
  }
}
