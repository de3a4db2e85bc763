package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static dev.gatehouse.server.http.Tokens.ADMIN;
import static dev.gatehouse.server.http.Tokens.DECIDER;
import static dev.gatehouse.server.http.Tokens.READER;
import static dev.gatehouse.server.http.Tokens.REVIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.rules.testing.PolicyTestCase;
import dev.gatehouse.rules.testing.PolicyTestLoader;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay over HTTP with the bundled policies: the revision that made a decision makes it again,
 * unchanged; an edited rule file or a candidate set shows what would change.
 */
class ReplayApiTest {

  /** The bundled merge gate with its acceptance rule asking for evidence no case has. */
  private static final String ACCEPTANCE =
      "no passing operator acceptance of it was recorded after its harness run and that run's evidence";
  private static final String STRICTER = "no passing evidence of kind operator-signoff of it was recorded since its harness run";
  private static final String ACCEPTANCE_RULE = "merging needs an operator acceptance after verification";
  // Compiling the bundled set takes a few seconds on a loaded machine.
  private static final Duration RELOAD = Duration.ofSeconds(30);

  @TempDir Path policies;
  @TempDir Path data;
  RunningServer server;
  List<PolicyTestCase> cases;

  @BeforeEach
  void start() throws Exception {
    Path bundled = TestPolicies.bundled();
    TestPolicies.copyOfBundled(policies);
    cases = new PolicyTestLoader().load(bundled.resolve("tests"));
    server = RunningServer.start(ServerConfig.defaults(policies).withPort(0).withData(data).withTokens(Tokens.all()));
    assertThat(server.server.engine().active()).as("the bundled policies compile").isPresent();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void replayingAgainstTheRevisionThatDecidedChangesNothingForEveryGate() {
    Map<String, Set<String>> outcomesByGate = new TreeMap<>();
    int n = 0;
    for (PolicyTestCase c : cases) {
      JsonNode decision = decide(c);
      // Both spellings of "the active set": no body, and an empty object.
      JsonNode replay = replay(decision, n++ % 2 == 0 ? "" : "{}", READER);

      assertUnchanged(c.displayName(), replay.path("diff"));
      assertThat(replay.path("original")).as(c.displayName()).isEqualTo(decision);
      assertThat(withoutRunDetails(replay.path("replayed"))).as(c.displayName()).isEqualTo(withoutRunDetails(decision));
      outcomesByGate.computeIfAbsent(c.request().gate(), g -> new TreeSet<>()).add(decision.path("outcome").asText());
    }

    List<String> gates = new ArrayList<>();
    json(server.get("/v1/policies", READER)).path("gates").forEach(g -> gates.add(g.asText()));
    assertThat(gates).isNotEmpty();
    for (String gate : gates) {
      assertThat(outcomesByGate.get(gate)).as("outcomes replayed at gate %s", gate).containsExactly("ALLOW", "DENY");
    }
  }

  @Test
  void anEditedRuleFileShowsInTheReplayOfAnEarlierDecision() throws IOException {
    JsonNode allowed = decide(mergeAllowed());
    String before = allowed.path("policy").path("revision").asText();

    Path merge = policies.resolve("merge.dslr");
    Files.writeString(merge, Files.readString(merge).replace(ACCEPTANCE, STRICTER));
    String after = server.awaitPolicies(READER, RELOAD, p -> !p.path("revision").asText().equals(before))
        .path("revision").asText();
    JsonNode replay = replay(allowed, "", READER);

    assertStricterAcceptance(replay);
    assertThat(replay.path("original").path("policy").path("revision").asText()).isEqualTo(before);
    assertThat(replay.path("replayed").path("policy").path("revision").asText()).isEqualTo(after);
  }

  @Test
  void aCandidateSetNeedsAdminShowsTheDifferenceAndActivatesOrWritesNothing() throws IOException {
    JsonNode allowed = decide(mergeAllowed());
    String active = allowed.path("policy").path("revision").asText();
    Map<String, String> onDisk = snapshot(policies);
    ObjectNode files = Json.mapper().createObjectNode();
    onDisk.forEach(files::put);
    files.put("merge.dslr", onDisk.get("merge.dslr").replace(ACCEPTANCE, STRICTER));
    String candidate = Json.mapper().createObjectNode().set("files", files).toString();
    String path = "/v1/decisions/" + allowed.path("decisionId").asText() + "/replay";

    HttpResponse<Buffer> readOnly = server.postJson(path, candidate, READER);
    assertThat(readOnly.statusCode()).isEqualTo(403);
    assertThat(errorCode(readOnly)).isEqualTo("forbidden");
    assertThat(json(readOnly).path("error").path("message").asText())
        .isEqualTo("replaying against a candidate policy set needs the admin role");
    // Roles do not imply each other: an admin token without read cannot reach the log at all.
    assertThat(server.postJson(path, candidate, ADMIN).statusCode()).isEqualTo(403);

    HttpResponse<Buffer> replayed = server.postJson(path, candidate, REVIEWER);

    assertThat(replayed.statusCode()).isEqualTo(200);
    assertStricterAcceptance(json(replayed));
    assertThat(json(server.get("/v1/policies", READER)).path("revision").asText()).isEqualTo(active);
    assertThat(snapshot(policies)).isEqualTo(onDisk);
    JsonNode again = decide(mergeAllowed());
    assertThat(again.path("outcome").asText()).isEqualTo("ALLOW");
    assertThat(again.path("policy").path("revision").asText()).isEqualTo(active);

    files.put("merge.dslr", "rule \"half a rule\" when");
    HttpResponse<Buffer> broken = server.postJson(path, Json.mapper().createObjectNode().set("files", files).toString(), REVIEWER);
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(json(broken).path("error").path("path").asText()).isEqualTo("files");
  }

  private JsonNode decide(PolicyTestCase c) {
    HttpResponse<Buffer> answer = server.postJson("/v1/decisions",
        new String(Json.writeRequest(c.request()), StandardCharsets.UTF_8), DECIDER);
    assertThat(answer.statusCode()).as(c.displayName()).isEqualTo(200);
    JsonNode decision = json(answer);
    assertThat(decision.path("outcome").asText()).as(c.displayName()).isEqualTo(c.outcome().name());
    return decision;
  }

  private JsonNode replay(JsonNode decision, String body, String token) {
    HttpResponse<Buffer> replay = server.postJson(
        "/v1/decisions/" + decision.path("decisionId").asText() + "/replay", body, token);
    assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(200);
    return json(replay);
  }

  private PolicyTestCase mergeAllowed() {
    return cases.stream().filter(c -> c.request().gate().equals("merge") && c.outcome().name().equals("ALLOW"))
        .findFirst().orElseThrow();
  }

  /** The merge ALLOW replayed with the stricter acceptance rule: denied by that rule alone. */
  private static void assertStricterAcceptance(JsonNode replay) {
    JsonNode diff = replay.path("diff");
    assertThat(diff.path("outcomeChanged").asBoolean()).isTrue();
    assertThat(diff.path("originalOutcome").asText()).isEqualTo("ALLOW");
    assertThat(diff.path("replayedOutcome").asText()).isEqualTo("DENY");
    assertThat(diff.path("reasonsAdded")).hasSize(1);
    assertThat(diff.path("reasonsAdded").get(0).path("code").asText()).isEqualTo("acceptance-missing");
    assertThat(diff.path("reasonsRemoved")).isEmpty();
    assertThat(diff.path("checksFlipped")).hasSize(1);
    JsonNode flipped = diff.path("checksFlipped").get(0);
    assertThat(flipped.path("rule").asText()).isEqualTo(ACCEPTANCE_RULE);
    assertThat(flipped.path("code").asText()).isEqualTo("acceptance-missing");
    assertThat(flipped.path("from").asText()).isEqualTo("passed");
    assertThat(flipped.path("to").asText()).isEqualTo("failed");
  }

  private static void assertUnchanged(String name, JsonNode diff) {
    assertThat(diff.path("outcomeChanged").asBoolean()).as(name).isFalse();
    assertThat(diff.path("originalOutcome")).as(name).isEqualTo(diff.path("replayedOutcome"));
    assertThat(diff.path("reasonsAdded")).as(name).isEmpty();
    assertThat(diff.path("reasonsRemoved")).as(name).isEmpty();
    assertThat(diff.path("checksFlipped")).as(name).isEmpty();
  }

  /** A decision without what differs between two runs of the same request: its id and duration. */
  private static JsonNode withoutRunDetails(JsonNode decision) {
    ObjectNode copy = decision.deepCopy();
    copy.remove(List.of("decisionId", "durationMicros"));
    return copy;
  }

  /** Every file under {@code dir} by relative path, with its text. */
  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(file).toString(), Files.readString(file));
      }
    }
    return files;
  }
}
