package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A recorded human approval of an issue.
 *
 * @param id the approval id
 * @param issue the approved issue
 * @param approver who approved, e.g. {@code JP}
 * @param scope what was approved: {@code execute} or {@code validate}
 * @param statement the approval sentence as given
 * @param recordedAt when the approval was recorded
 * @param source where the fact was loaded from
 */
public record Approval(
    String id,
    String issue,
    String approver,
    String scope,
    String statement,
    Instant recordedAt,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String source)
    implements Fact {

  public Approval {
    source = Values.source(source);
  }

  @Override
  public String ref() {
    return FactKind.APPROVALS.ref(id);
  }

  @Override
  public Approval withSource(String source) {
    return new Approval(id, issue, approver, scope, statement, recordedAt, source);
  }
}
