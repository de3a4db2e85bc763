package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The admission of a target repository: whether coding agents may change it, and until when.
 *
 * @param repository the repository, e.g. {@code acme/widgets}
 * @param status {@code admitted}, or anything else for not admitted
 * @param reviewedAt when the admission was reviewed
 * @param expiresAt when the admission stops being current
 * @param referencesSecrets whether the admission references secrets
 * @param source where the fact was loaded from
 */
public record Admission(
    String repository,
    String status,
    Instant reviewedAt,
    Instant expiresAt,
    boolean referencesSecrets,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String source)
    implements Fact {

  public Admission {
    source = Values.source(source);
  }

  @Override
  public String ref() {
    return FactKind.ADMISSIONS.ref(repository);
  }

  @Override
  public Admission withSource(String source) {
    return new Admission(repository, status, reviewedAt, expiresAt, referencesSecrets, source);
  }
}
