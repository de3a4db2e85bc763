package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliTest {

  record Run(int exit, String out, String err) {}

  static Path resource(String name) {
    try {
      return Path.of(CliTest.class.getResource("/cli/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Run gatehouse(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  final String policies = resource("policies").toString();
  final String denyRequest = resource("deny-request.json").toString();

  @Test
  void evalPrintsAReadableDenyAndExitsOne() {
    Run run = gatehouse("eval", "--request", denyRequest, "--policies", policies);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .startsWith("DENY  execute I-1 at 2026-06-02T10:00:00Z")
        .contains("deny approval-missing: I-1 has no approval recorded at or before 2026-06-02T10:00:00Z")
        .contains("[FAIL] approval must be recorded (approval-missing)")
        .contains("[pass] issue must be known (issue-unknown)")
        .contains("1. approval must be recorded  basic.drl:16  [request:execute, issue:I-1]");
  }

  @Test
  void evalOverridesFromFlagsAndExitsZeroOnAllow() {
    Run run = gatehouse("eval", "--request", denyRequest, "--policies", policies, "--gate", "merge");

    assertThat(run.exit()).isEqualTo(0);
    assertThat(run.out()).startsWith("ALLOW  merge I-1");
  }

  @Test
  void evalJsonIsTheDecisionOfTheApi() throws Exception {
    Run run = gatehouse("eval", "--request", denyRequest, "--policies", policies, "--json", "--at", "2026-07-01T00:00:00Z");

    JsonNode decision = Json.mapper().readTree(run.out());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(decision.path("outcome").asText()).isEqualTo("DENY");
    assertThat(decision.path("at").asText()).isEqualTo("2026-07-01T00:00:00Z");
    assertThat(decision.path("reasons").get(0).path("code").asText()).isEqualTo("approval-missing");
    assertThat(decision.path("checks")).hasSize(3);
    assertThat(decision.path("trace").get(0).path("line").asInt()).isEqualTo(16);
    assertThat(decision.path("policy").path("revision").asText()).startsWith("sha256:");
    assertThat(decision.has("decisionId")).isTrue();
    assertThat(decision.has("durationMicros")).isTrue();
  }

  @Test
  void unknownGateDeniesWithNoPolicy() {
    Run run = gatehouse("eval", "--policies", policies, "--gate", "deploy", "--subject", "I-1");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("deny no-policy: no policy declares gate 'deploy'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown field      | {"gate": "execute", "subject": "I-1", "colour": "red"}                                              | colour: unknown field 'colour'
      bad timestamp      | {"gate": "execute", "subject": "I-1", "facts": {"approvals": [{"id": "A", "issue": "I-1", "recordedAt": "soon"}]}} | facts.approvals[0].recordedAt: 'soon' is not a timestamp
      missing fact id    | {"gate": "execute", "subject": "I-1", "facts": {"runs": [{"issue": "I-1", "runtimeDefaultActivation": false}]}}      | facts.runs[0].id: required field is missing or empty
      duplicate ref      | {"gate": "execute", "subject": "I-1", "facts": {"issues": [{"id": "I-1", "type": "AFK"}, {"id": "I-1", "type": "AFK"}]}} | facts.issues[1]: duplicate ref 'issue:I-1', also at facts.issues[0]
      wrong type         | {"gate": ["execute"], "subject": "I-1"}                                                            | gate: expected a string
      truncated          | {"gate": "execute", "subject"                                                                     | malformed document
      """)
  void badRequestsExitTwoNamingThePath(String name, String body, String message, @TempDir Path dir) throws Exception {
    Path request = Files.writeString(dir.resolve("request.json"), body);

    Run run = gatehouse("eval", "--request", request.toString(), "--policies", policies);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("gatehouse eval: " + message);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void badFlagsExitTwo() {
    assertThat(gatehouse("eval", "--policies", policies, "--gate", "execute").exit()).isEqualTo(2);
    assertThat(gatehouse("eval", "--policies", policies, "--gate", "execute", "--subject", "I-1", "--at", "noon").err())
        .startsWith("gatehouse eval: --at: 'noon' is not a timestamp");
    assertThat(gatehouse("eval", "--no-such-flag").exit()).isEqualTo(2);
  }

  @Test
  void aMissingFileOrDirectoryIsNamedAsMissing(@TempDir Path dir) {
    String nope = dir.resolve("nope").toString();

    Run check = gatehouse("check", "--workspace", nope, policies);
    Run eval = gatehouse("eval", "--request", nope + ".json", "--policies", policies);
    Run evalWorkspace = gatehouse("eval", "--workspace", nope, "--policies", policies, "--gate", "execute", "--subject", "I-1");

    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.err()).isEqualTo("gatehouse check: no such file or directory: " + nope + "\n");
    assertThat(eval.exit()).isEqualTo(2);
    assertThat(eval.err()).isEqualTo("gatehouse eval: cannot read request: no such file or directory: " + nope + ".json\n");
    assertThat(evalWorkspace.err()).isEqualTo("gatehouse eval: no such file or directory: " + nope + "\n");
  }

  @Test
  void checkPrintsEveryProblemAsFileLineColumnAndExitsOne(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.drl"), "package p;\nrule \"x\"\nwhen\n  Foo( \nthen\nend\n");
    Files.writeString(dir.resolve("b.drl"), "package p;\nrule \"y\" when then\nend\nrubbish\n");

    Run run = gatehouse("check", dir.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines()).containsExactly(
        "a.drl:6:1: mismatched input 'end' in rule \"x\"",
        "b.drl:5:1: mismatched input '<eof>' in rule \"y\"",
        "2 error(s) in " + dir);
  }

  @Test
  void checkOfAGoodDirectorySaysOk() {
    Run run = gatehouse("check", policies);

    assertThat(run.exit()).isEqualTo(0);
    // Lint warnings come first, as a compiler prints them; the summary line closes the output.
    assertThat(run.out()).contains("\nok: 1 files, 4 rules, gates execute, merge, revision sha256:");
  }

  @Test
  void testPrintsOneLinePerCaseTheTraceOfFailuresAndATally() {
    Run run = gatehouse("test", policies);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("PASS  basic.yaml › approved exactly at the time of the request")
        .contains("PASS  basic.yaml › no approval")
        .contains("FAIL  basic.yaml › a deliberately wrong expectation")
        .contains("expected outcome ALLOW, got DENY")
        .contains("1. approval must be recorded  basic.drl:16");
    assertThat(run.out().strip().lines().reduce((a, b) -> b)).hasValue("2 passed, 1 failed");
  }
}
