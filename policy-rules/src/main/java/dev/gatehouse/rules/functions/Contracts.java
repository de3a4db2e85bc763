package dev.gatehouse.rules.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatehouse.model.Contract;
import dev.gatehouse.model.json.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/** What a task contract lacks, and what it is, for rules about contracts and their approvals. */
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
    // Blank is empty: a list whose entries are all blank ([" "]) says nothing.
    if (blank(contract.allowedPaths())) {
      parts.add("allowed paths");
    }
    if (blank(contract.forbiddenActions())) {
      parts.add("forbidden actions");
    }
    if (blank(contract.successCriteria())) {
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

  /**
   * The contract's digest: {@code sha256:} over its canonical JSON (fields in name order, no
   * whitespace, without where it was loaded from). An approval that names a digest approves that
   * contract; once the contract changes, the approval is stale.
   */
  public static String digest(Contract contract) {
    TreeMap<String, Object> fields = Json.mapper().convertValue(contract, new TypeReference<TreeMap<String, Object>>() {});
    fields.remove("source");
    try {
      byte[] json = Json.mapper().writeValueAsBytes(fields);
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("a contract always encodes, and every Java runtime has SHA-256", e);
    }
  }

  private static boolean blank(List<String> entries) {
    for (String entry : entries) {
      if (entry != null && !entry.isBlank()) {
        return false;
      }
    }
    return true;
  }
}
