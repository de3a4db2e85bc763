package dev.gatehouse.rules.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.source.SourceTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads policy test suites: every {@code .yaml}, {@code .yml} and {@code .json} file under a
 * directory. A suite has request {@code defaults}, base {@code facts} and {@code cases}; a case
 * overrides request fields, adds facts (replacing base facts of the same ref), drops base facts by
 * ref with {@code remove}, and states the expected {@code outcome} and exact set of {@code deny}
 * codes. Unknown keys are errors, not ignored.
 */
public final class PolicyTestLoader {

  private static final Set<String> SUITE_EXTENSIONS = Set.of(".yaml", ".yml", ".json");
  private static final Set<String> SUITE_KEYS = Set.of("suite", "defaults", "facts", "cases");
  private static final Set<String> CASE_KEYS = Set.of("name", "request", "facts", "remove", "expect");
  private static final Set<String> EXPECT_KEYS = Set.of("outcome", "deny", "warn");

  private final ObjectMapper yaml = Json.configure(YAMLMapper.builder()).build();
  private final RequestReader reader = new RequestReader();

  /**
   * Every case of every suite under {@code directory}, by file and then in file order; the suites
   * are listed by {@link SourceTree}'s rules, so hidden files are skipped.
   */
  public List<PolicyTestCase> load(Path directory) throws IOException, InvalidInputException {
    List<PolicyTestCase> cases = new ArrayList<>();
    for (Map.Entry<String, byte[]> suite : new SourceTree(directory, SUITE_EXTENSIONS).read().entrySet()) {
      cases.addAll(loadSuite(suite.getKey(), suite.getValue()));
    }
    return cases;
  }

  /** The cases of one suite document; {@code file} names it in errors. */
  public List<PolicyTestCase> loadSuite(String file, byte[] document) throws InvalidInputException {
    JsonNode suite;
    try {
      suite = yaml.readTree(document);
    } catch (IOException e) {
      throw new InvalidInputException(file, "not a readable YAML or JSON document: " + firstLine(e.getMessage()));
    }
    if (suite == null || !suite.isObject()) {
      throw new InvalidInputException(file, "a test suite must be an object with 'cases'");
    }
    requireKeys(file, "", suite, SUITE_KEYS);
    String name = suite.path("suite").asText(file);
    JsonNode defaults = suite.path("defaults");
    Facts base = facts(file, "facts", suite.get("facts"));
    JsonNode caseList = suite.path("cases");
    if (!caseList.isArray() || caseList.isEmpty()) {
      throw new InvalidInputException(file + ": cases", "a test suite needs a non-empty list of cases");
    }
    List<PolicyTestCase> cases = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < caseList.size(); i++) {
      String at = "cases[" + i + "]";
      JsonNode testCase = caseList.get(i);
      if (!testCase.isObject()) {
        throw new InvalidInputException(file + ": " + at, "a case must be an object");
      }
      requireKeys(file, at, testCase, CASE_KEYS);
      String caseName = testCase.path("name").asText("");
      if (caseName.isBlank() || !names.add(caseName)) {
        throw new InvalidInputException(file + ": " + at + ".name",
            caseName.isBlank() ? "a case needs a name" : "duplicate case name '" + caseName + "'");
      }
      cases.add(toCase(file, name, at, caseName, defaults, base, testCase));
    }
    return cases;
  }

  private PolicyTestCase toCase(
      String file, String suite, String at, String name, JsonNode defaults, Facts base, JsonNode testCase)
      throws InvalidInputException {
    ObjectNode request = Json.mapper().createObjectNode();
    if (defaults.isObject()) {
      request.setAll((ObjectNode) defaults);
    }
    if (testCase.has("request")) {
      if (!testCase.get("request").isObject()) {
        throw new InvalidInputException(file + ": " + at + ".request", "expected an object");
      }
      request.setAll((ObjectNode) testCase.get("request"));
    }
    if (request.has("facts")) {
      throw new InvalidInputException(file + ": " + at + ".request.facts", "give facts at suite or case level, not inside the request");
    }
    DecisionRequest parsed;
    try {
      parsed = reader.readRequest(Json.mapper().writeValueAsBytes(request));
    } catch (InvalidInputException e) {
      throw new InvalidInputException(file + ": " + at + ".request" + (e.path().isEmpty() ? "" : "." + e.path()), e.getMessage());
    } catch (IOException e) {
      throw new InvalidInputException(file + ": " + at + ".request", "unreadable request");
    }
    Facts facts = merge(base, facts(file, at + ".facts", testCase.get("facts")), removals(file, at, testCase));
    return new PolicyTestCase(file, suite, name, parsed.withFacts(facts), outcome(file, at, testCase),
        codes(file, at + ".expect.deny", testCase.path("expect").get("deny")),
        testCase.path("expect").has("warn") ? codes(file, at + ".expect.warn", testCase.path("expect").get("warn")) : null);
  }

  private Facts facts(String file, String at, JsonNode node) throws InvalidInputException {
    if (node == null || node.isNull()) {
      return Facts.EMPTY;
    }
    try {
      return reader.readFacts(Json.mapper().writeValueAsBytes(node));
    } catch (InvalidInputException e) {
      throw new InvalidInputException(file + ": " + at + (e.path().isEmpty() ? "" : "." + e.path()), e.getMessage());
    } catch (IOException e) {
      throw new InvalidInputException(file + ": " + at, "unreadable facts");
    }
  }

  private static Set<String> removals(String file, String at, JsonNode testCase) throws InvalidInputException {
    JsonNode remove = testCase.get("remove");
    if (remove == null) {
      return Set.of();
    }
    return codes(file, at + ".remove", remove);
  }

  /** Base facts, minus removed refs, with case facts replacing base facts of the same ref. */
  private static Facts merge(Facts base, Facts added, Set<String> removed) {
    Map<String, Fact> byRef = new LinkedHashMap<>();
    base.sorted().forEach(f -> byRef.put(f.ref(), f));
    removed.forEach(byRef::remove);
    added.sorted().forEach(f -> byRef.put(f.ref(), f));
    return Facts.of(byRef.values());
  }

  private static Outcome outcome(String file, String at, JsonNode testCase) throws InvalidInputException {
    JsonNode expect = testCase.get("expect");
    if (expect == null || !expect.isObject()) {
      throw new InvalidInputException(file + ": " + at + ".expect", "a case needs 'expect' with an outcome");
    }
    requireKeys(file, at + ".expect", expect, EXPECT_KEYS);
    String outcome = expect.path("outcome").asText("").toUpperCase(Locale.ROOT);
    if (!outcome.equals("ALLOW") && !outcome.equals("DENY")) {
      throw new InvalidInputException(file + ": " + at + ".expect.outcome", "expected ALLOW or DENY");
    }
    return Outcome.valueOf(outcome);
  }

  private static Set<String> codes(String file, String at, JsonNode node) throws InvalidInputException {
    Set<String> codes = new TreeSet<>();
    if (node == null || node.isNull()) {
      return codes;
    }
    if (!node.isArray()) {
      throw new InvalidInputException(file + ": " + at, "expected a list");
    }
    for (JsonNode code : node) {
      if (!code.isTextual()) {
        throw new InvalidInputException(file + ": " + at, "expected a list of strings");
      }
      codes.add(code.asText());
    }
    return codes;
  }

  private static void requireKeys(String file, String at, JsonNode node, Set<String> allowed)
      throws InvalidInputException {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (!allowed.contains(key)) {
        String where = at.isEmpty() ? key : at + "." + key;
        throw new InvalidInputException(file + ": " + where,
            "unknown key '" + key + "'; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
