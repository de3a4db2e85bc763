package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A piece of evidence about an issue's run: a harness artifact, a validator run, a replay path,
 * a health check, an operator's acceptance or rejection.
 *
 * @param id the evidence id
 * @param issue the issue it is evidence for
 * @param kind e.g. {@code harness-artifact}, {@code validator-run}, {@code operator-acceptance}
 * @param path where the evidence lives
 * @param passed whether it passed
 * @param phase e.g. {@code before-merge}
 * @param recordedAt when it was recorded
 * @param source where the fact was loaded from
 */
public record Evidence(
    String id,
    String issue,
    String kind,
    String path,
    boolean passed,
    String phase,
    Instant recordedAt,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String source)
    implements Fact {

  public Evidence {
    source = Values.source(source);
  }

  @Override
  public String ref() {
    return FactKind.EVIDENCE.ref(id);
  }

  @Override
  public Evidence withSource(String source) {
    return new Evidence(id, issue, kind, path, passed, phase, recordedAt, source);
  }
}
