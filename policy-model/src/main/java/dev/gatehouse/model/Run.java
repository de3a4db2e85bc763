package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * A run of a coding task for an issue.
 *
 * @param id the run id
 * @param issue the issue the run worked on
 * @param via what executed it, e.g. {@code cto-harness}
 * @param runtimeDefaultActivation whether the run activated the runtime default
 * @param firstMutationAt when the run first changed the target repository
 * @param touchedPaths the paths the run changed
 * @param source where the fact was loaded from
 */
public record Run(
    String id,
    String issue,
    String via,
    boolean runtimeDefaultActivation,
    Instant firstMutationAt,
    List<String> touchedPaths,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String source)
    implements Fact {

  public Run {
    touchedPaths = Values.list(touchedPaths);
    source = Values.source(source);
  }

  @Override
  public String ref() {
    return FactKind.RUNS.ref(id);
  }

  @Override
  public Run withSource(String source) {
    return new Run(id, issue, via, runtimeDefaultActivation, firstMutationAt, touchedPaths, source);
  }
}
