package dev.gatehouse.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.DecisionRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RequestReaderTest {

  static final String VALID = """
      {"gate": "execute", "subject": "CTO-WORK-049", "at": "2026-06-02T10:00:00Z", "actor": "cto-harness",
       "facts": {"issues": [{"id": "CTO-WORK-049", "type": "HITL", "status": "candidate", "blockedBy": ["CTO-WORK-048"],
                             "criteria": [{"text": "a", "done": false}]}],
                 "admissions": [{"repository": "acme/widgets", "status": "admitted", "expiresAt": "2026-06-30T00:00:00Z",
                                 "referencesSecrets": false}],
                 "approvals": [{"id": "A-17", "issue": "CTO-WORK-049", "approver": "JP", "scope": "execute",
                                "recordedAt": "2026-06-01T09:00:00Z"}],
                 "runs": [{"id": "R-1", "issue": "CTO-WORK-049", "via": "cto-harness", "runtimeDefaultActivation": false}]}}
      """;

  final RequestReader reader = new RequestReader();

  @Test
  void readsAValidRequestAndMarksFactsAsFromTheRequest() throws Exception {
    DecisionRequest request = reader.readRequest(bytes(VALID));

    assertThat(request.gate()).isEqualTo("execute");
    assertThat(request.at()).isEqualTo(Instant.parse("2026-06-02T10:00:00Z"));
    assertThat(request.runtimeDefaultActivation()).isFalse();
    assertThat(request.facts().approvals().get(0).recordedAt()).isEqualTo(Instant.parse("2026-06-01T09:00:00Z"));
    assertThat(request.facts().sorted()).allSatisfy(f -> assertThat(f.source()).isEqualTo("request"));
    assertThat(request.facts().sorted()).extracting(f -> f.ref())
        .containsExactly("issue:CTO-WORK-049", "admission:acme/widgets", "approval:A-17", "run:R-1");
  }

  @Test
  void aWrittenRequestReadsBackEqual() throws Exception {
    DecisionRequest request = reader.readRequest(bytes(VALID));

    assertThat(reader.readRequest(Json.writeRequest(request))).isEqualTo(request);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown top-level field            | "actor": "cto-harness",                 | "actor": "cto-harness", "colour": 1,                      | colour                          | unknown field 'colour'
      unknown fact field                 | "approver": "JP",                       | "approver": "JP", "aprover": "JP",                        | facts.approvals[0].aprover      | unknown field 'aprover'
      unparsable timestamp               | "2026-06-01T09:00:00Z"                  | "yesterday"                                               | facts.approvals[0].recordedAt   | 'yesterday' is not a timestamp
      timestamp given as number          | "recordedAt": "2026-06-01T09:00:00Z"    | "recordedAt": 1780304400                                  | facts.approvals[0].recordedAt   | expected a timestamp
      date without time                  | "expiresAt": "2026-06-30T00:00:00Z"     | "expiresAt": "2026-06-30"                                 | facts.admissions[0].expiresAt   | '2026-06-30' is not a timestamp
      wrong type for a list              | "blockedBy": ["CTO-WORK-048"]           | "blockedBy": "CTO-WORK-048"                               | facts.issues[0].blockedBy       | expected a list
      number where text is expected      | "approver": "JP"                        | "approver": 7                                             | facts.approvals[0].approver     | expected a string
      text where a boolean is expected   | "referencesSecrets": false              | "referencesSecrets": "no"                                 | facts.admissions[0].referencesSecrets | expected true or false
      null where a boolean is required   | "referencesSecrets": false              | "referencesSecrets": null                                 | facts.admissions[0].referencesSecrets | required field is missing or null
      missing approval id                | "id": "A-17",                           | ''                                                        | facts.approvals[0].id           | required field is missing
      approval scope no rule knows       | "scope": "execute"                      | "scope": "execution"                                      | facts.approvals[0].scope        | expected execute or validate
      approval decision no rule knows    | "scope": "execute"                      | "scope": "execute", "decision": "denied"                  | facts.approvals[0].decision     | expected approved or rejected
      missing issue id                   | "id": "CTO-WORK-049", "type"            | "type"                                                    | facts.issues[0].id              | required field is missing
      empty run id                       | "id": "R-1"                             | "id": " "                                                 | facts.runs[0].id                | required field is missing
      source set by the caller           | "approver": "JP",                       | "approver": "JP", "source": "workspace.yaml",             | facts.approvals[0].source       | field 'source' is set by Gatehouse
      missing gate                       | "gate": "execute",                      | ''                                                        | gate                            | required field is missing
      wrong type for criteria item       | {"text": "a", "done": false}            | "a"                                                       | facts.issues[0].criteria[0]     | expected an object
      unknown fact kind                  | "runs":                                 | "rnus":                                                   | facts.rnus                      | unknown field 'rnus'
      lone surrogate in the subject      | "subject": "CTO-WORK-049"               | "subject": "CTO-\\ud800"                                 | subject                         | invalid value: text may not contain a lone surrogate (U+D800)
      lone low surrogate in the gate     | "gate": "execute"                       | "gate": "exe\\udc00cute"                                 | gate                            | invalid value: text may not contain a lone surrogate (U+DC00)
      NUL in the actor                   | "actor": "cto-harness"                  | "actor": "cto\\u0000harness"                             | actor                           | invalid value: text may not contain a NUL character
      NUL in a fact id                   | "id": "A-17"                            | "id": "A-17\\u0000"                                      | facts.approvals[0].id           | invalid value: text may not contain a NUL character
      lone surrogate in a fact ref       | "repository": "acme/widgets"            | "repository": "acme/\\ud83d"                             | facts.admissions[0].repository  | invalid value: text may not contain a lone surrogate (U+D83D)
      lone surrogate in a list item      | ["CTO-WORK-048"]                        | ["CTO-WORK-048", "\\udfff"]                              | facts.issues[0].blockedBy[1]    | invalid value: text may not contain a lone surrogate (U+DFFF)
      NUL in a criterion                 | {"text": "a", "done": false}            | {"text": "a\\u0000", "done": false}                      | facts.issues[0].criteria[0].text | invalid value: text may not contain a NUL character
      """)
  void refusesBadInputNamingTheJsonPath(String name, String find, String replace, String path, String message) {
    String document = VALID.replace(find, replace);
    assertThat(document).as("the test's replacement applies").isNotEqualTo(VALID);

    assertThatThrownBy(() -> reader.readRequest(bytes(document)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.getMessage()).startsWith(message);
        });
  }

  @Test
  void acceptsTextOutsideTheBasicPlaneWrittenAsASurrogatePair() throws Exception {
    DecisionRequest request = reader.readRequest(bytes(VALID.replace("\"actor\": \"cto-harness\"", "\"actor\": \"cto \\ud83d\\ude80 harness\"")));

    assertThat(request.actor()).isEqualTo("cto " + Character.toString(0x1F680) + " harness");
  }

  @Test
  void refusesTwoFactsWithTheSameRef() {
    String document = VALID.replace("\"runs\": [", "\"runs\": [{\"id\": \"R-1\", \"issue\": \"X\", \"runtimeDefaultActivation\": true}, ");

    assertThatThrownBy(() -> reader.readRequest(bytes(document)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.path()).isEqualTo("facts.runs[1]");
          assertThat(e.getMessage()).isEqualTo("duplicate ref 'run:R-1', also at facts.runs[0]");
        });
  }

  @Test
  void refusesDuplicateJsonKeys() {
    String document = VALID.replace("\"gate\": \"execute\",", "\"gate\": \"execute\", \"gate\": \"merge\",");

    assertThatThrownBy(() -> reader.readRequest(bytes(document)))
        .isInstanceOfSatisfying(InvalidInputException.class, e ->
            assertThat(e.getMessage()).contains("malformed document").contains("Duplicate field 'gate'"));
  }

  @Test
  void saysWhereAnObjectLeftOpenStartedWithoutDescribingTheSource() {
    assertThatThrownBy(() -> reader.readRequest(bytes("{\"gate\": \"execute\"")))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage())
            .isEqualTo("malformed document at line 1, column 19: Unexpected end-of-input: expected close marker"
                + " for Object (start marker at line: 1, column: 1)"));
  }

  @Test
  void saysAtWhichLineAndColumnTheTextBreaks() {
    String trailingComma = "{\"gate\": \"execute\",\n \"subject\": \"DEMO-101\",}";

    assertThatThrownBy(() -> reader.readRequest(bytes(trailingComma)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage())
            .startsWith("malformed document at line 2, column 24: Unexpected character ('}' (code 125))"));
  }

  @Test
  void refusesTruncatedJsonWithItsLine() {
    assertThatThrownBy(() -> reader.readRequest(bytes(VALID.substring(0, 120))))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.getMessage()).startsWith("malformed document");
          assertThat(e.location().line()).isPositive();
        });
  }

  @Test
  void refusesDeepNestingWithoutOverflowingTheStack() {
    String deep = "{\"issues\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";

    assertThatThrownBy(() -> reader.readFacts(bytes(deep)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.path()).startsWith("issues"));
  }

  @Test
  void refusesADocumentThatIsNotAnObject() {
    assertThatThrownBy(() -> reader.readRequest(bytes("null")))
        .isInstanceOfSatisfying(InvalidInputException.class, e ->
            assertThat(e.getMessage()).isEqualTo("the request must be a JSON object"));
    assertThatThrownBy(() -> reader.readRequest(bytes("[1]")))
        .isInstanceOf(InvalidInputException.class);
  }

  static Stream<Arguments> pathsAndGlobsBeyondTheirBounds() {
    String tooLong = "src/" + "a".repeat(FactValidator.MAX_PATH_LENGTH - 3);
    String tooMany = paths(FactValidator.MAX_PATHS + 1);
    return Stream.of(
        Arguments.of("touched path too long", run("[\"src/a\", \"" + tooLong + "\"]"),
            "facts.runs[0].touchedPaths[1]", "path of 1025 characters; at most 1024 are accepted"),
        Arguments.of("allowed glob too long", contract(VALID, "[\"" + tooLong + "\"]", "[]"),
            "facts.contracts[0].allowedPaths[0]", "glob of 1025 characters; at most 1024 are accepted"),
        Arguments.of("forbidden glob too long", contract(VALID, "[]", "[\"a\", \"b\", \"" + tooLong + "\"]"),
            "facts.contracts[0].forbiddenPaths[2]", "glob of 1025 characters; at most 1024 are accepted"),
        Arguments.of("forbidden glob starting at ./, which would forbid nothing", contract(VALID, "[]", "[\"./.github/**\"]"),
            "facts.contracts[0].forbiddenPaths[0]", "glob './.github/**' is not in normal form: write it relative to the repository root, without '.', '..' or empty segments and without a trailing '/'"),
        Arguments.of("forbidden glob with a trailing slash", contract(VALID, "[]", "[\".github/\"]"),
            "facts.contracts[0].forbiddenPaths[0]", "glob '.github/' is not in normal form: write it relative to the repository root, without '.', '..' or empty segments and without a trailing '/'"),
        Arguments.of("too many touched paths", run(tooMany),
            "facts.runs[0].touchedPaths", "10001 paths; at most 10000 are accepted"),
        Arguments.of("too many allowed globs", contract(VALID, tooMany, "[]"),
            "facts.contracts[0].allowedPaths", "10001 globs; at most 10000 are accepted"),
        Arguments.of("too many forbidden globs", contract(VALID, "[]", tooMany),
            "facts.contracts[0].forbiddenPaths", "10001 globs; at most 10000 are accepted"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pathsAndGlobsBeyondTheirBounds")
  void boundsTheLengthAndNumberOfPathsAndGlobs(String name, String document, String path, String message) {
    assertThatThrownBy(() -> reader.readRequest(bytes(document)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.getMessage()).isEqualTo(message);
        });
  }

  @Test
  void acceptsTheLongestPathAndGlobAndTheMostGlobs() throws Exception {
    String longest = "src/" + "a".repeat(FactValidator.MAX_PATH_LENGTH - 4);
    String document = contract(run("[\"" + longest + "\"]"), paths(FactValidator.MAX_PATHS), "[\"" + longest + "\"]");

    DecisionRequest request = reader.readRequest(bytes(document));

    assertThat(request.facts().contracts().get(0).allowedPaths()).hasSize(FactValidator.MAX_PATHS);
    assertThat(request.facts().contracts().get(0).forbiddenPaths()).containsExactly(longest);
    assertThat(request.facts().runs().get(0).touchedPaths()).containsExactly(longest);
  }

  /** VALID with {@code touchedPaths} on its run. */
  private static String run(String touchedPaths) {
    return VALID.replace("\"runtimeDefaultActivation\": false}",
        "\"runtimeDefaultActivation\": false, \"touchedPaths\": " + touchedPaths + "}");
  }

  /** {@code document} with a contract of these globs. */
  private static String contract(String document, String allowedPaths, String forbiddenPaths) {
    return document.replace("\"runs\":", "\"contracts\": [{\"issue\": \"CTO-WORK-049\", \"repository\": \"acme/widgets\","
        + " \"allowedPaths\": " + allowedPaths + ", \"forbiddenPaths\": " + forbiddenPaths + "}], \"runs\":");
  }

  /** A JSON list of {@code count} short paths. */
  private static String paths(int count) {
    return IntStream.range(0, count).mapToObj(i -> "\"src/" + i + "\"").collect(Collectors.joining(", ", "[", "]"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
