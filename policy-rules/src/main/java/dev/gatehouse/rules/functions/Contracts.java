package dev.gatehouse.rules.functions;

import dev.gatehouse.model.Contract;
import java.util.ArrayList;
import java.util.List;

/** What a task contract lacks, for rules that deny incomplete contracts. */
public final class Contracts {

  private Contracts() {}

  /**
   * The names of the required parts of {@code contract} that are empty or blank, in this order:
   * allowed paths, forbidden actions, success criteria, validation command, rollback. A rule
   * iterates them with {@code from}; one Java call is far cheaper there than the same test
   * written as an MVEL expression, which the mvel build interprets for every contract.
   */
  public static List<String> emptyParts(Contract contract) {
    List<String> parts = new ArrayList<>(5);
    if (contract.allowedPaths().isEmpty()) {
      parts.add("allowed paths");
    }
    if (contract.forbiddenActions().isEmpty()) {
      parts.add("forbidden actions");
    }
    if (contract.successCriteria().isEmpty()) {
      parts.add("success criteria");
    }
    if (contract.validationCommand() == null || contract.validationCommand().isBlank()) {
      parts.add("validation command");
    }
    if (contract.rollback() == null || contract.rollback().isBlank()) {
      parts.add("rollback");
    }
    return parts;
  }
}
