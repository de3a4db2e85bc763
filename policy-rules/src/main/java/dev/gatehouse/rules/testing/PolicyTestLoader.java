package dev.gatehouse.rules.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.json.Document;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.Location;
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
 * codes. Unknown keys, duplicate keys and values of another type are errors, not ignored or
 * converted; each names the file, line and JSON path.
 */
public final class PolicyTestLoader {

  private static final Set<String> SUITE_EXTENSIONS = Set.of(".yaml", ".yml", ".json");
  private static final Set<String> SUITE_KEYS = Set.of("suite", "defaults", "facts", "cases");
  private static final Set<String> CASE_KEYS = Set.of("name", "request", "facts", "remove", "expect");
  private static final Set<String> EXPECT_KEYS = Set.of("outcome", "deny", "warn");

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

  /** The cases of one suite document; {@code file} names it in errors, which give its line. */
  public List<PolicyTestCase> loadSuite(String file, byte[] document) throws InvalidInputException {
    Document suite = Document.read(file, document, Json.yaml());
    try {
      return cases(file, suite.root());
    } catch (InvalidInputException e) {
      // The checks below name a JSON path of the suite; the document knows its line.
      throw new InvalidInputException(suite.locate(e.location()), e.getMessage());
    }
  }

  private List<PolicyTestCase> cases(String file, JsonNode suite) throws InvalidInputException {
    if (suite == null || !suite.isObject()) {
      throw new InvalidInputException(Location.DOCUMENT, "a test suite must be an object with 'cases'");
    }
    requireKeys(Location.DOCUMENT, suite, SUITE_KEYS);
    String name = text(Location.of("suite"), suite.get("suite"));
    ObjectNode defaults = object(Location.of("defaults"), suite.get("defaults"));
    Facts base = facts(Location.of("facts"), suite.get("facts"));
    JsonNode caseList = suite.path("cases");
    if (!caseList.isArray() || caseList.isEmpty()) {
      throw new InvalidInputException(Location.of("cases"), "a test suite needs a non-empty list of cases");
    }
    List<PolicyTestCase> cases = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < caseList.size(); i++) {
      Location at = Location.of("cases").index(i);
      JsonNode testCase = caseList.get(i);
      if (!testCase.isObject()) {
        throw new InvalidInputException(at, "a case must be an object");
      }
      requireKeys(at, testCase, CASE_KEYS);
      String caseName = text(at.field("name"), testCase.get("name"));
      if (caseName == null || caseName.isBlank() || !names.add(caseName)) {
        throw new InvalidInputException(at.field("name"),
            caseName == null || caseName.isBlank() ? "a case needs a name" : "duplicate case name '" + caseName + "'");
      }
      cases.add(toCase(file, name == null ? file : name, at, caseName, defaults, base, testCase));
    }
    return cases;
  }

  private PolicyTestCase toCase(
      String file, String suite, Location at, String name, ObjectNode defaults, Facts base, JsonNode testCase)
      throws InvalidInputException {
    ObjectNode request = Json.mapper().createObjectNode();
    if (defaults != null) {
      request.setAll(defaults);
    }
    ObjectNode own = object(at.field("request"), testCase.get("request"));
    if (own != null) {
      request.setAll(own);
    }
    if (request.has("facts")) {
      throw new InvalidInputException(at.field("request").field("facts"),
          "give facts at suite or case level, not inside the request");
    }
    DecisionRequest parsed = read(at.field("request"), request, reader::readRequest);
    Facts facts = merge(base, facts(at.field("facts"), testCase.get("facts")), codes(at.field("remove"), testCase.get("remove")));
    Location expect = at.field("expect");
    return new PolicyTestCase(file, suite, name, parsed.withFacts(facts), outcome(expect, testCase.get("expect")),
        codes(expect.field("deny"), testCase.path("expect").get("deny")),
        testCase.path("expect").has("warn") ? codes(expect.field("warn"), testCase.path("expect").get("warn")) : null);
  }

  private Facts facts(Location at, JsonNode node) throws InvalidInputException {
    return node == null || node.isNull() ? Facts.EMPTY : read(at, node, reader::readFacts);
  }

  /** {@code node}, found at {@code at}, read as a request's JSON is: refused for what a request would be. */
  private static <T> T read(Location at, JsonNode node, Reading<T> reading) throws InvalidInputException {
    byte[] json;
    try {
      json = Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree read from a document always serializes", e);
    }
    try {
      return reading.read(json);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(at.append(e.path()), e.getMessage());
    }
  }

  /** A {@link RequestReader} method. */
  private interface Reading<T> {
    T read(byte[] json) throws InvalidInputException;
  }

  /** Base facts, minus removed refs, with case facts replacing base facts of the same ref. */
  private static Facts merge(Facts base, Facts added, Set<String> removed) {
    Map<String, Fact> byRef = new LinkedHashMap<>();
    base.sorted().forEach(f -> byRef.put(f.ref(), f));
    removed.forEach(byRef::remove);
    added.sorted().forEach(f -> byRef.put(f.ref(), f));
    return Facts.of(byRef.values());
  }

  private static Outcome outcome(Location at, JsonNode expect) throws InvalidInputException {
    if (expect == null || !expect.isObject()) {
      throw new InvalidInputException(at, "a case needs 'expect' with an outcome");
    }
    requireKeys(at, expect, EXPECT_KEYS);
    JsonNode outcome = expect.get("outcome");
    String given = outcome != null && outcome.isTextual() ? outcome.asText().toUpperCase(Locale.ROOT) : "";
    if (!given.equals("ALLOW") && !given.equals("DENY")) {
      throw new InvalidInputException(at.field("outcome"), "expected ALLOW or DENY");
    }
    return Outcome.valueOf(given);
  }

  private static Set<String> codes(Location at, JsonNode node) throws InvalidInputException {
    Set<String> codes = new TreeSet<>();
    if (node == null || node.isNull()) {
      return codes;
    }
    if (!node.isArray()) {
      throw new InvalidInputException(at, "expected a list");
    }
    for (int i = 0; i < node.size(); i++) {
      codes.add(text(at.index(i), node.get(i)));
    }
    return codes;
  }

  /** The text of {@code node}, null when it is absent or null; anything else, a number included, is refused. */
  private static String text(Location at, JsonNode node) throws InvalidInputException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidInputException(at, "expected a string");
    }
    return node.asText();
  }

  /** The object {@code node}, null when it is absent or null. */
  private static ObjectNode object(Location at, JsonNode node) throws InvalidInputException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidInputException(at, "expected an object");
    }
    return (ObjectNode) node;
  }

  private static void requireKeys(Location at, JsonNode node, Set<String> allowed) throws InvalidInputException {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (!allowed.contains(key)) {
        throw new InvalidInputException(at.field(key),
            "unknown key '" + key + "'; expected one of " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }
}
