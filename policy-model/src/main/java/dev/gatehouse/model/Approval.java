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
 * @param decision {@code approved} (the default) or {@code rejected}
 * @param contractDigest the {@code sha256:} digest of the task contract approved, when the approval
 *     names one; an approval of another contract than the current one is stale
 * @param source where the fact was loaded from
 */
public record Approval(
    String id,
    String issue,
    String approver,
    String scope,
    String statement,
    Instant recordedAt,
    String decision,
    String contractDigest,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String source)
    implements Fact {

  /** The decision of an approval that names none. */
  public static final String APPROVED = "approved";

  public Approval {
    // Names are compared exactly, but a stray space is never a different person.
    approver = approver == null ? null : approver.strip();
    scope = Values.canonical(scope, false);
    decision = decision == null ? APPROVED : Values.canonical(decision, false);
    source = Values.source(source);
  }

  @Override
  public String ref() {
    return FactKind.APPROVALS.ref(id);
  }

  @Override
  public Approval withSource(String source) {
    return new Approval(id, issue, approver, scope, statement, recordedAt, decision, contractDigest, source);
  }
}
