package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The task contract of an issue on one repository: what the coding task may and may not do.
 *
 * @param issue the issue id the contract belongs to
 * @param repository the target repository
 * @param allowedPaths globs of the paths the task may touch
 * @param forbiddenPaths globs of the paths the task must not touch
 * @param forbiddenActions actions the task must not take, e.g. {@code force-push}
 * @param successCriteria what counts as success
 * @param validationCommand the command that validates the change
 * @param rollback how to undo the change
 * @param source where the fact was loaded from
 */
public record Contract(
    String issue,
    String repository,
    List<String> allowedPaths,
    List<String> forbiddenPaths,
    List<String> forbiddenActions,
    List<String> successCriteria,
    String validationCommand,
    String rollback,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String source)
    implements Fact {

  public Contract {
    allowedPaths = Values.list(allowedPaths);
    forbiddenPaths = Values.list(forbiddenPaths);
    forbiddenActions = Values.list(forbiddenActions);
    successCriteria = Values.list(successCriteria);
    source = Values.source(source);
  }

  @Override
  public String ref() {
    return FactKind.CONTRACTS.ref(issue + "@" + repository);
  }

  @Override
  public Contract withSource(String source) {
    return new Contract(
        issue, repository, allowedPaths, forbiddenPaths, forbiddenActions, successCriteria,
        validationCommand, rollback, source);
  }
}
