package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A planning issue: its status, blockers, acceptance criteria, validator and human gate.
 *
 * @param id the issue id, e.g. {@code CTO-WORK-049}
 * @param title the issue title
 * @param type {@code AFK} (agent may work alone) or {@code HITL} (human in the loop)
 * @param status e.g. {@code candidate}, {@code ready}, {@code validated}
 * @param blockedBy ids of the issues this one waits for
 * @param criteria acceptance criteria in document order
 * @param validator the validation command, if any
 * @param humanGate the human gate sentence, if any
 * @param source where the fact was loaded from
 */
public record Issue(
    String id,
    String title,
    String type,
    String status,
    List<String> blockedBy,
    List<Criterion> criteria,
    String validator,
    String humanGate,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String source)
    implements Fact {

  public Issue {
    type = Values.canonical(type, true);
    status = Values.canonical(status, false);
    blockedBy = Values.list(blockedBy);
    criteria = Values.list(criteria);
    source = Values.source(source);
  }

  @Override
  public String ref() {
    return FactKind.ISSUES.ref(id);
  }

  @Override
  public Issue withSource(String source) {
    return new Issue(id, title, type, status, blockedBy, criteria, validator, humanGate, source);
  }

  /** Whether a human must approve this issue: it is {@code HITL} or names a human gate. */
  public boolean needsHuman() {
    return "HITL".equals(type) || (humanGate != null && !humanGate.isBlank());
  }
}
