package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static dev.gatehouse.server.http.Tokens.DECIDER;
import static dev.gatehouse.server.http.Tokens.READER;
import static dev.gatehouse.server.http.Tokens.REVIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.server.config.ServerConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules as they were: the rule files and rules of the revision that made a decision, after the
 * policy directory moved on, read from the log's snapshot; how two revisions differ; a candidate
 * read back by the revision its replay named; and the newest decisions replayed with a candidate.
 */
class RuleTextApiTest {

  static final String HEALTH_RULE = "merging needs a passing health check before merge";
  static final String RUN_RULE = "merging needs a run via cto-harness";

  static final String EXTRA = """
      package gatehouse.extra;

      import dev.gatehouse.model.Request;
      import function dev.gatehouse.rules.drools.RuleActions.deny;

      rule "merging is frozen on Fridays"
        @gate("merge") @code("merge-frozen")
      when
        $request : Request( gate == "merge", subject == "NEVER" )
      then
        deny(kcontext, "merges are frozen");
      end
      """;

  // Compiling the bundled set takes a few seconds on a loaded machine.
  private static final Duration RELOAD = Duration.ofSeconds(30);

  @TempDir Path policies;
  @TempDir Path data;
  RunningServer server;

  @BeforeEach
  void start() throws IOException {
    TestPolicies.copyOfBundled(policies);
    server = RunningServer.start(ServerConfig.defaults(policies).withPort(0).withData(data).withTokens(Tokens.all()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theActiveRevisionIsItsFilesAndRulesWithTheLinesATraceNames() throws IOException {
    JsonNode decided = decide(unhealthyMerge("TEXT-1"));
    String revision = decided.path("policy").path("revision").asText();

    JsonNode text = get("/v1/policies/" + revision);
    assertThat(text.path("revision").asText()).isEqualTo(revision);
    assertThat(text.path("origin").asText()).isEqualTo("active");
    assertThat(files(text)).isEqualTo(onDisk());
    JsonNode health = rule(text, HEALTH_RULE);
    assertThat(health.path("gates")).containsExactly(Json.mapper().getNodeFactory().textNode("merge"));
    assertThat(health.path("code").asText()).isEqualTo("health-missing");
    assertThat(health.path("file").asText()).isEqualTo("merge.dslr");
    // The line a trace names is the rule's header in the file served.
    JsonNode step = decided.path("trace").get(0);
    assertThat(step.path("rule").asText()).isEqualTo(HEALTH_RULE);
    assertThat(health.path("line").asInt()).isEqualTo(step.path("line").asInt());
    assertThat(line(files(text).get("merge.dslr"), health.path("line").asInt())).isEqualTo("rule \"" + HEALTH_RULE + "\"");
    assertThat(health.path("source").asText()).startsWith("rule \"" + HEALTH_RULE + "\"").endsWith("end\n");

    assertThat(get("/v1/policies/active")).isEqualTo(text);
    assertThat(json(server.get("/v1/policies/" + revision + "/diff", READER)).path("identical").asBoolean()).isTrue();
  }

  @Test
  void aRevisionThatDecidedReadsAsItWasAfterTheDirectoryMovedOnAndDiffsAgainstTheActiveOne() throws IOException {
    JsonNode decided = decide(unhealthyMerge("TEXT-2"));
    String before = decided.path("policy").path("revision").asText();
    Map<String, String> then = onDisk();

    // The health rule warns instead of denying, the run rule goes, a new file brings a rule.
    Path merge = policies.resolve("merge.dslr");
    String edited = warnOnMissingHealthCheck(Files.readString(merge));
    int start = edited.indexOf("rule \"" + RUN_RULE + "\"");
    edited = edited.substring(0, start) + edited.substring(edited.indexOf("end\n", start) + "end\n".length());
    Files.writeString(merge, edited);
    Files.writeString(policies.resolve("extra.drl"), EXTRA);
    String after = server.awaitPolicies(READER, RELOAD, p -> !p.path("revision").asText().equals(before))
        .path("revision").asText();

    JsonNode was = get("/v1/policies/" + before);
    assertThat(was.path("origin").asText()).isEqualTo("logged");
    assertThat(files(was)).isEqualTo(then);
    assertThat(rule(was, HEALTH_RULE).path("source").asText()).contains("deny \"[issue] has no passing health-check");
    assertThat(rule(was, RUN_RULE).path("line").asInt()).isPositive();
    // Compiled once: the second read is the same answer.
    assertThat(get("/v1/policies/" + before)).isEqualTo(was);

    JsonNode diff = get("/v1/policies/active/diff?against=" + before);
    assertThat(diff.path("revision").asText()).isEqualTo(after);
    assertThat(diff.path("against").asText()).isEqualTo(before);
    assertThat(diff.path("identical").asBoolean()).isFalse();
    assertThat(changes(diff.path("files"), "path")).containsExactly("extra.drl added", "merge.dslr changed");
    JsonNode mergeDiff = diff.path("files").get(1);
    assertThat(mergeDiff.path("diff").asText())
        .startsWith("--- a/merge.dslr\n+++ b/merge.dslr\n@@ -")
        .contains("\n-  deny \"[issue] has no passing health-check", "\n+  warn \"[issue] has no passing health-check",
            "\n-rule \"" + RUN_RULE + "\"");
    assertThat(mergeDiff.path("linesAdded").asInt()).isPositive();
    assertThat(mergeDiff.path("linesRemoved").asInt()).isGreaterThan(mergeDiff.path("linesAdded").asInt());
    assertThat(diff.path("files").get(0).path("diff").asText()).startsWith("--- /dev/null\n+++ b/extra.drl\n");
    assertThat(changes(diff.path("rules"), "name")).containsExactlyInAnyOrder(
        HEALTH_RULE + " changed", "merging is frozen on Fridays added", RUN_RULE + " removed");
    JsonNode health = find(diff.path("rules"), "name", HEALTH_RULE);
    assertThat(health.path("file").asText()).isEqualTo("merge.dslr");
    assertThat(health.path("againstLine").asInt()).isEqualTo(rule(was, HEALTH_RULE).path("line").asInt());
    // The rule's diff counts lines as its file does: its hunk opens 3 lines of context above the changed line.
    String source = rule(was, HEALTH_RULE).path("source").asText();
    long changed = source.substring(0, source.indexOf("  deny \"[issue]")).chars().filter(c -> c == '\n').count();
    assertThat(health.path("diff").asText())
        .contains("@@ -" + (health.path("againstLine").asInt() + changed - 3) + ",5 +"
            + (health.path("line").asInt() + changed - 3) + ",5 @@")
        .contains("+  warn \"[issue]");
    JsonNode removed = find(diff.path("rules"), "name", RUN_RULE);
    assertThat(removed.has("file")).isFalse();
    assertThat(removed.path("againstFile").asText()).isEqualTo("merge.dslr");

    // The other way round, against=active is the default.
    JsonNode back = get("/v1/policies/" + before + "/diff");
    assertThat(back.path("against").asText()).isEqualTo(after);
    assertThat(changes(back.path("rules"), "name")).containsExactlyInAnyOrder(
        HEALTH_RULE + " changed", "merging is frozen on Fridays removed", RUN_RULE + " added");
  }

  @Test
  void aCandidateReadsBackByTheRevisionItsReplayNamed() throws IOException {
    JsonNode decided = decide(unhealthyMerge("TEXT-3"));
    ObjectNode body = candidate(Map.of("merge.dslr", warnOnMissingHealthCheck(onDisk().get("merge.dslr"))));
    HttpResponse<Buffer> replayed = server.postJson(
        "/v1/decisions/" + decided.path("decisionId").asText() + "/replay?mode=candidate", body.toString(), REVIEWER);
    assertThat(replayed.statusCode()).as(replayed.bodyAsString()).isEqualTo(200);
    String candidate = json(replayed).path("replayed").path("policy").path("revision").asText();

    JsonNode text = get("/v1/policies/" + candidate);
    assertThat(text.path("origin").asText()).isEqualTo("candidate");
    assertThat(rule(text, HEALTH_RULE).path("source").asText()).contains("warn \"[issue]");
    JsonNode diff = get("/v1/policies/" + candidate + "/diff?against=active");
    assertThat(changes(diff.path("rules"), "name")).containsExactly(HEALTH_RULE + " changed");
    assertThat(changes(diff.path("files"), "path")).containsExactly("merge.dslr changed");
  }

  @Test
  void unknownRevisionsAndBadParametersSayWhich() {
    String unknown = "sha256:" + "0".repeat(64);
    HttpResponse<Buffer> missing = server.get("/v1/policies/" + unknown, READER);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(errorCode(missing)).isEqualTo("revision-not-found");
    assertThat(json(missing).path("error").path("message").asText()).contains(unknown);
    HttpResponse<Buffer> malformed = server.get("/v1/policies/f59ca587", READER);
    assertThat(malformed.statusCode()).isEqualTo(404);
    assertThat(errorCode(malformed)).isEqualTo("revision-not-found");
    assertThat(json(malformed).path("error").path("message").asText()).contains("expected active or sha256:");

    HttpResponse<Buffer> unknownBase = server.get("/v1/policies/active/diff?against=" + unknown, READER);
    assertThat(unknownBase.statusCode()).isEqualTo(404);
    assertThat(errorCode(unknownBase)).isEqualTo("revision-not-found");
    HttpResponse<Buffer> badBase = server.get("/v1/policies/active/diff?against=yesterday", READER);
    assertThat(badBase.statusCode()).isEqualTo(400);
    assertThat(json(badBase).path("error").path("path").asText()).isEqualTo("against");
    HttpResponse<Buffer> badParameter = server.get("/v1/policies/active/diff?base=active", READER);
    assertThat(badParameter.statusCode()).isEqualTo(400);
    assertThat(json(badParameter).path("error").path("path").asText()).isEqualTo("base");

    assertThat(server.get("/v1/policies/active", null).statusCode()).isEqualTo(401);
    assertThat(server.get("/v1/policies/active", DECIDER).statusCode()).isEqualTo(403);
    assertThat(server.get("/v1/policies/active/diff", DECIDER).statusCode()).isEqualTo(403);
  }

  @Test
  void theNewestDecisionsReplayedWithACandidateListTheFlips() throws IOException {
    JsonNode denied = decide(unhealthyMerge("FLIP-1"));
    JsonNode other = decide(unhealthyMerge("FLIP-2"));
    JsonNode unknownIssue = decide("{\"gate\": \"merge\", \"subject\": \"NOBODY\", \"at\": \"2026-06-02T10:00:00Z\","
        + " \"actor\": \"merge-bot\", \"facts\": {}}");
    ObjectNode body = candidate(Map.of("merge.dslr", warnOnMissingHealthCheck(onDisk().get("merge.dslr"))));

    HttpResponse<Buffer> answer = server.postJson("/v1/decisions/replay?mode=candidate&limit=2", body.toString(), REVIEWER);
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    JsonNode report = json(answer);
    assertThat(report.path("mode").asText()).isEqualTo("candidate");
    assertThat(report.path("read").asInt()).isEqualTo(2);
    assertThat(report.path("replayed").asInt()).isEqualTo(2);
    // The newest two: the unknown issue (denied either way, no change) and FLIP-2.
    assertThat(report.path("outcomesChanged").asInt()).isEqualTo(1);
    JsonNode flip = report.path("changes").get(0);
    assertThat(flip.path("decisionId").asText()).isEqualTo(other.path("decisionId").asText());
    assertThat(flip.path("subject").asText()).isEqualTo("FLIP-2");
    assertThat(flip.path("from").asText()).isEqualTo("DENY");
    assertThat(flip.path("to").asText()).isEqualTo("ALLOW");
    assertThat(flip.path("reasonsRemoved").get(0).path("code").asText()).isEqualTo("health-missing");
    assertThat(flip.path("reasonsAdded").get(0).path("severity").asText()).isEqualTo("warn");
    assertThat(report.path("revision").asText()).isEqualTo(get("/v1/policies/" + report.path("revision").asText())
        .path("revision").asText());

    JsonNode all = json(server.postJson("/v1/decisions/replay?mode=candidate", body.toString(), REVIEWER));
    assertThat(all.path("read").asInt()).isEqualTo(3);
    assertThat(changes(all.path("changes"), "subject")).hasSize(2);
    assertThat(all.path("changes").findValuesAsText("decisionId"))
        .containsExactly(other.path("decisionId").asText(), denied.path("decisionId").asText());
    assertThat(unknownIssue.path("outcome").asText()).isEqualTo("DENY");

    JsonNode gate = json(server.postJson("/v1/decisions/replay?mode=candidate&gate=execute", body.toString(), REVIEWER));
    assertThat(gate.path("read").asInt()).isZero();
    JsonNode now = json(server.send(io.vertx.core.http.HttpMethod.POST, "/v1/decisions/replay?mode=now", null, null, READER));
    assertThat(now.path("mode").asText()).isEqualTo("now");
    assertThat(now.path("changed").asInt()).isZero();

    HttpResponse<Buffer> readOnly = server.postJson("/v1/decisions/replay?mode=candidate", body.toString(), READER);
    assertThat(readOnly.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> asDecided = server.send(io.vertx.core.http.HttpMethod.POST, "/v1/decisions/replay?mode=as-decided",
        null, null, READER);
    assertThat(asDecided.statusCode()).isEqualTo(400);
    assertThat(json(asDecided).path("error").path("path").asText()).isEqualTo("mode");
    HttpResponse<Buffer> tooMany = server.postJson("/v1/decisions/replay?mode=candidate&limit=501", body.toString(), REVIEWER);
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(json(tooMany).path("error").path("path").asText()).isEqualTo("limit");
  }

  /** A merge of {@code issue} with everything but the health check: denied by the health rule alone. */
  static String unhealthyMerge(String issue) {
    return ConsoleTest.MERGE.formatted(issue, "");
  }

  /** The bundled merge gate with the missing health check a warning (the DSL has the warn sentence). */
  static String warnOnMissingHealthCheck(String merge) {
    return merge
        .replace("import function dev.gatehouse.rules.drools.RuleActions.deny;",
            "import function dev.gatehouse.rules.drools.RuleActions.deny;\nimport function dev.gatehouse.rules.drools.RuleActions.warn;")
        .replace("deny \"[issue] has no passing health-check", "warn \"[issue] has no passing health-check");
  }

  private ObjectNode candidate(Map<String, String> edits) throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode files = body.putObject("files");
    onDisk().forEach(files::put);
    edits.forEach(files::put);
    return body;
  }

  private JsonNode decide(String request) {
    HttpResponse<Buffer> answer = server.postJson("/v1/decisions", request, DECIDER);
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return json(answer);
  }

  private JsonNode get(String path) {
    HttpResponse<Buffer> answer = server.get(path, READER);
    assertThat(answer.statusCode()).as(path + ": " + answer.bodyAsString()).isEqualTo(200);
    return json(answer);
  }

  private Map<String, String> onDisk() throws IOException {
    Map<String, String> files = new TreeMap<>();
    PolicyFiles.read(policies).files().forEach((path, bytes) -> files.put(path, new String(bytes, StandardCharsets.UTF_8)));
    return files;
  }

  private static Map<String, String> files(JsonNode revision) {
    Map<String, String> files = new TreeMap<>();
    revision.path("files").forEach(f -> files.put(f.path("path").asText(), f.path("text").asText()));
    return files;
  }

  private static JsonNode rule(JsonNode revision, String name) {
    return find(revision.path("rules"), "name", name);
  }

  private static JsonNode find(JsonNode items, String field, String value) {
    for (JsonNode item : items) {
      if (item.path(field).asText().equals(value)) {
        return item;
      }
    }
    throw new AssertionError("no " + field + " " + value + " in " + items);
  }

  /** Each item as "KEY change". */
  private static List<String> changes(JsonNode items, String key) {
    List<String> changes = new ArrayList<>();
    items.forEach(i -> changes.add(i.path(key).asText() + (i.has("change") ? " " + i.path("change").asText() : "")));
    return changes;
  }

  private static String line(String text, int number) {
    return text.split("\n", -1)[number - 1].strip();
  }
}
