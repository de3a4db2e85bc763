package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.errorCode;
import static dev.gatehouse.server.http.RunningServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.config.ApiToken;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.ConfigFile;
import dev.gatehouse.server.config.Role;
import dev.gatehouse.server.config.ServerConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real server deciding from a copy of the demo workspace (examples/workspace) with the bundled
 * policies: requests name only gate, subject, time and actor, and the facts come from the files.
 */
class WorkspaceApiTest {

  static final Path POLICIES = TestPolicies.bundled();
  static final Path DEMO = Path.of(System.getProperty("gatehouse.root"), "examples", "workspace");
  static final Duration WITHIN = Duration.ofSeconds(2);
  static final String READER = "reader-secret-0123456789";
  static final String DECIDER = "decider-secret-0123456789";

  /** An execute approval by JP for the HITL subject the demo denies for {@code approval-missing}. */
  static final String JP_APPROVES_DEMO_103 = """
      approvals:
        - id: A-103-jp
          issue: DEMO-103
          approver: JP
          scope: execute
          statement: I approve executing DEMO-103.
          recordedAt: 2026-06-01T09:00:00Z
      """;

  @TempDir static Path shared;
  static RunningServer server;

  @BeforeAll
  static void start() {
    server = RunningServer.start(ServerConfig.defaults(POLICIES).withPort(0).withWorkspace(copyOfDemo(shared)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0} {1} -> {2} {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      execute  | DEMO-101     | ALLOW | -
      execute  | DEMO-104     | ALLOW | -
      execute  | DEMO-103     | DENY  | approval-missing
      execute  | DEMO-107     | DENY  | admission-expired admission-secrets contract-incomplete
      execute  | DEMO-102     | DENY  | issue-status contract-missing
      accept   | DEMO-101     | ALLOW | -
      accept   | DEMO-105     | ALLOW | -
      accept   | DEMO-104     | DENY  | path-not-allowed path-forbidden approval-after-mutation evidence-failed validator-missing replay-path-missing
      merge    | DEMO-101     | ALLOW | -
      merge    | DEMO-105     | DENY  | operator-rejected health-missing health-missing
      merge    | DEMO-104     | DENY  | acceptance-missing health-missing
      validate | DEMO-102     | ALLOW | -
      validate | DEMO-106     | DENY  | blocker-unknown blocker-not-validated human-gate-unapproved
      validate | DEMO-101     | DENY  | criteria-open health-missing
      validate | CTO-WORK-050 | DENY  | validator-missing blocker-not-validated human-gate-unapproved
      """)
  void decidesTheDemoAsItsReadmeSaysFromTheWorkspaceAlone(String gate, String subject, String outcome, String codes) {
    JsonNode decision = decide(server, gate, subject);

    assertThat(decision.path("outcome").asText()).isEqualTo(outcome);
    assertThat(denyCodes(decision)).containsExactlyInAnyOrder(codes == null ? new String[0] : codes.split(" "));
    JsonNode workspace = json(server.get("/v1/workspace"));
    assertThat(decision.path("workspace").asText()).startsWith("sha256:").isEqualTo(workspace.path("revision").asText());
    assertThat(decision.path("policy").path("revision").asText()).startsWith("sha256:");
    List<String> files = new ArrayList<>();
    workspace.path("files").forEach(f -> files.add(f.path("path").asText()));
    // Every fact the decision used names its file and line, ALLOW and DENY alike; the request names its caller.
    assertThat(decision.path("sources").path("request:" + gate).asText()).isEqualTo("request (principal anonymous)");
    decision.path("sources").fields().forEachRemaining(source -> {
      if (!source.getKey().startsWith("request:")) {
        assertThat(source.getValue().asText()).as(source.getKey()).matches(value -> files.stream()
            .anyMatch(file -> value.matches(java.util.regex.Pattern.quote(file) + ":\\d+")));
      }
    });
    String issueFile = subject.startsWith("DEMO-") ? "planning/DEMO-ISSUES.md" : "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md";
    assertThat(decision.path("sources").path("issue:" + subject).asText()).startsWith(issueFile + ":");
  }

  @Test
  void refusesAnApprovalSmuggledIntoARequestSoItCannotOpenTheExecuteGate() {
    JsonNode without = decide(server, "execute", "DEMO-103");
    assertThat(without.path("outcome").asText()).isEqualTo("DENY");
    assertThat(denyCodes(without)).containsExactly("approval-missing");

    HttpResponse<Buffer> smuggled = server.postJson("/v1/decisions", request("execute", "DEMO-103",
        "{\"approvals\": [" + jpApproval("FORGED", "DEMO-103") + "]}"));

    assertThat(smuggled.statusCode()).isEqualTo(403);
    assertThat(errorCode(smuggled)).isEqualTo("facts-not-permitted");
    assertThat(json(smuggled).path("error").path("path").asText()).isEqualTo("facts.approvals[0]");
    assertThat(json(smuggled).path("error").path("message").asText())
        .isEqualTo("approvals come from the workspace: principal 'anonymous' may not supply them (it supplies no facts)");
  }

  @Test
  void refusesARequestFactWhoseRefIsAlreadyInTheWorkspace(@TempDir Path dir) {
    try (RunningServer tokens = RunningServer.start(ServerConfig.defaults(POLICIES).withPort(0)
        .withWorkspace(copyOfDemo(dir)).withTokens(Tokens.all()))) {
      HttpResponse<Buffer> response = tokens.postJson("/v1/decisions", request("execute", "DEMO-103", """
          {"issues": [{"id": "NEW-1", "title": "a new issue", "type": "AFK", "status": "ready"},
                      {"id": "DEMO-103", "title": "a second DEMO-103", "type": "AFK", "status": "ready"}]}
          """), Tokens.PLANNER);

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(errorCode(response)).isEqualTo("invalid-request");
      assertThat(json(response).path("error").path("path").asText()).isEqualTo("facts.issues[1]");
      assertThat(json(response).path("error").path("message").asText())
          .contains("'issue:DEMO-103'").contains("planning/DEMO-ISSUES.md:");
    }
  }

  @Test
  void aTokenBringsOnlyTheKindsItSuppliesAndItsFactsNameIt(@TempDir Path dir) {
    try (RunningServer tokens = RunningServer.start(ServerConfig.defaults(POLICIES).withPort(0)
        .withWorkspace(copyOfDemo(dir)).withTokens(Tokens.all()))) {
      String run = "{\"runs\": [{\"id\": \"R-NEW\", \"issue\": \"DEMO-103\", \"via\": \"cto-harness\","
          + " \"runtimeDefaultActivation\": false, \"firstMutationAt\": \"2026-06-01T10:00:00Z\","
          + " \"touchedPaths\": [\"src/a\"]}]}";
      HttpResponse<Buffer> brought = tokens.postJson("/v1/decisions", request("accept", "DEMO-103", run), Tokens.HARNESS);
      HttpResponse<Buffer> refused = tokens.postJson("/v1/decisions", request("accept", "DEMO-103", run), Tokens.DECIDER);
      HttpResponse<Buffer> approval = tokens.postJson("/v1/decisions", request("execute", "DEMO-103",
          "{\"approvals\": [" + jpApproval("FORGED", "DEMO-103") + "]}"), Tokens.HARNESS);

      assertThat(brought.statusCode()).as(brought.bodyAsString()).isEqualTo(200);
      assertThat(json(brought).path("sources").path("run:R-NEW").asText()).isEqualTo("request (principal harness)");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(json(refused).path("error").path("path").asText()).isEqualTo("facts.runs[0]");
      assertThat(approval.statusCode()).isEqualTo(403);
      // Supplying evidence does not let a harness bring an operator's verdict on its own change.
      HttpResponse<Buffer> verdict = tokens.postJson("/v1/decisions", request("merge", "DEMO-103",
          "{\"evidence\": [{\"id\": \"E-SELF\", \"issue\": \"DEMO-103\", \"kind\": \"Operator_Acceptance\","
              + " \"passed\": true, \"recordedAt\": \"2026-06-02T09:00:00Z\"}]}"), Tokens.HARNESS);
      assertThat(verdict.statusCode()).isEqualTo(403);
      assertThat(json(verdict).path("error").path("path").asText()).isEqualTo("facts.evidence[0].kind");
      assertThat(json(approval).path("error").path("message").asText())
          .isEqualTo("approvals come from the workspace: principal 'harness' may not supply them (it supplies evidence, runs)");
    }
  }

  @Test
  void describesTheWorkspaceRevisionFilesCountsAndProblems() {
    HttpResponse<Buffer> response = server.get("/v1/workspace");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode workspace = json(response);
    assertThat(workspace.path("revision").asText()).startsWith("sha256:");
    List<String> files = new ArrayList<>();
    workspace.path("files").forEach(f -> files.add(f.path("path").asText()));
    assertThat(files).containsExactly("CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md", "admissions.yaml", "approvals.yaml",
        "contracts.yaml", "evidence.yaml", "planning/DEMO-ISSUES.md", "runs.yaml");
    JsonNode counts = workspace.path("counts");
    assertThat(counts.path("issues").asInt()).isEqualTo(10);
    assertThat(counts.path("admissions").asInt()).isEqualTo(2);
    assertThat(counts.path("contracts").asInt()).isEqualTo(5);
    assertThat(counts.path("approvals").asInt()).isEqualTo(3);
    assertThat(counts.path("evidence").asInt()).isEqualTo(14);
    assertThat(counts.path("runs").asInt()).isEqualTo(3);
    assertThat(workspace.path("problems").isArray()).isTrue();
    assertThat(workspace.path("problems")).isEmpty();
    JsonNode seed = file(workspace, "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md").path("frontMatter");
    assertThat(seed.path("status").asText()).isEqualTo("draft");
    assertThat(seed.path("owner").asText()).isEqualTo("jp");
    assertThat(seed.path("lifecycle_classification").asText()).isEqualTo("planning");
    assertThat(file(workspace, "approvals.yaml").path("frontMatter")).isEmpty();
    assertThat(workspace.path("contracts")).hasSize(5).allSatisfy(contract -> {
      assertThat(contract.path("ref").asText()).startsWith("contract:");
      assertThat(contract.path("source").asText()).startsWith("contracts.yaml:");
      assertThat(contract.path("digest").asText()).matches("sha256:[0-9a-f]{64}");
    });
  }

  @Test
  void auditsEveryRecordedStatusWithTheActivePolicies() {
    HttpResponse<Buffer> response = server.get("/v1/workspace/audit?at=2026-06-02T10:00:00Z");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode audit = json(response);
    assertThat(audit.path("workspace").asText()).isEqualTo(json(server.get("/v1/workspace")).path("revision").asText());
    assertThat(audit.path("at").asText()).isEqualTo("2026-06-02T10:00:00Z");
    List<String> findings = new ArrayList<>();
    audit.path("findings").forEach(f -> {
      List<String> codes = new ArrayList<>();
      f.path("reasons").forEach(r -> codes.add(r.path("code").asText()));
      findings.add(f.path("source").asText() + " " + f.path("issue").asText() + " " + f.path("status").asText() + " "
          + f.path("gate").asText() + " " + String.join(" ", codes.stream().sorted().toList()));
    });
    assertThat(findings).containsExactly(
        "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md:23 CTO-WORK-048 validated validate blocker-unknown validator-missing",
        "CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md:59 CTO-WORK-050 validated validate blocker-not-validated"
            + " human-gate-unapproved validator-missing",
        "planning/DEMO-ISSUES.md:63 DEMO-106 candidate execute blocker-not-validated blocker-unknown");
  }

  @Test
  void anIssueThePlanningReaderCannotReadIsListedAsAProblemAndADoubt(@TempDir Path dir) throws IOException {
    Path workspace = copyOfDemo(dir);
    Path seed = workspace.resolve("CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md");
    Files.writeString(seed, Files.readString(seed).replace("Blocked by: CTO-WORK-049", "Blocked by: CTO-WORK-049\nBlocked by: none"));
    try (RunningServer live = RunningServer.start(ServerConfig.defaults(POLICIES).withPort(0).withWorkspace(workspace))) {
      JsonNode described = json(live.get("/v1/workspace"));
      JsonNode audit = json(live.get("/v1/workspace/audit?at=2026-06-02T10:00:00Z"));

      assertThat(described.path("counts").path("issues").asInt()).isEqualTo(9);
      assertThat(described.path("counts").path("doubts").asInt()).isEqualTo(1);
      assertThat(described.path("problems")).singleElement().satisfies(p -> {
        assertThat(p.path("file").asText()).isEqualTo("CTO-FIRST-REAL-GOVERNED-WORKFLOW-ISSUES.md");
        assertThat(p.path("line").asInt()).isEqualTo(63);
        assertThat(p.path("message").asText())
            .isEqualTo("issue CTO-WORK-050 is unreadable: 'Blocked by' is given twice, first at line 62");
      });
      assertThat(audit.path("problems")).isEqualTo(described.path("problems"));
      assertThat(audit.path("findings").toString()).doesNotContain("CTO-WORK-050");
    }
  }

  @Test
  void aChangedWorkspaceFileDecidesWithin2Seconds(@TempDir Path dir) throws IOException {
    Path workspace = copyOfDemo(dir);
    try (RunningServer live = RunningServer.start(ServerConfig.defaults(POLICIES).withPort(0).withWorkspace(workspace))) {
      JsonNode before = decide(live, "execute", "DEMO-103");
      assertThat(denyCodes(before)).containsExactly("approval-missing");

      Files.writeString(workspace.resolve("approvals-jp.yaml"), JP_APPROVES_DEMO_103);
      JsonNode after = Polling.await(WITHIN, "the new approval", () -> decide(live, "execute", "DEMO-103"),
          d -> !denyCodes(d).contains("approval-missing"));

      assertThat(after.path("outcome").asText()).isEqualTo("ALLOW");
      assertThat(after.path("workspace").asText()).isNotEqualTo(before.path("workspace").asText())
          .isEqualTo(json(live.get("/v1/workspace")).path("revision").asText());
      assertThat(json(live.get("/v1/workspace")).path("counts").path("approvals").asInt()).isEqualTo(4);
    }
  }

  @Test
  void aBrokenFileKeepsItsLastGoodFactsAndIsReportedUntilFixed(@TempDir Path dir) throws IOException {
    Path workspace = copyOfDemo(dir);
    Path approvals = workspace.resolve("approvals.yaml");
    String good = Files.readString(approvals);
    try (RunningServer live = RunningServer.start(ServerConfig.defaults(POLICIES).withPort(0).withWorkspace(workspace))) {
      JsonNode before = decide(live, "execute", "DEMO-104");
      assertThat(before.path("outcome").asText()).isEqualTo("ALLOW");

      // An appended item opens a flow sequence that never closes: the file as a whole is no longer YAML.
      Files.writeString(approvals, good + "  - id: [A-broken\n    issue: DEMO-104\n");
      int brokenLine = (int) good.lines().count() + 1;
      JsonNode reported = awaitWorkspace(live, w -> !w.path("problems").isEmpty());

      JsonNode problem = reported.path("problems").get(0);
      assertThat(reported.path("problems")).hasSize(1);
      assertThat(problem.path("file").asText()).isEqualTo("approvals.yaml");
      assertThat(problem.path("line").asInt()).isBetween(brokenLine, brokenLine + 2);
      assertThat(problem.path("message").asText()).contains("flow sequence").contains("expected ',' or ']'");
      assertThat(file(reported, "approvals.yaml").path("stale").asBoolean()).isTrue();
      assertThat(reported.path("counts").path("approvals").asInt()).isEqualTo(3);
      JsonNode during = decide(live, "execute", "DEMO-104");
      assertThat(during.path("outcome").asText()).isEqualTo("ALLOW");
      assertThat(during.path("workspace").asText()).isEqualTo(before.path("workspace").asText());
      assertThat(during.path("sources")).isEqualTo(before.path("sources"));

      Files.writeString(approvals, good);
      JsonNode fixed = awaitWorkspace(live, w -> w.path("problems").isEmpty());
      assertThat(file(fixed, "approvals.yaml").path("stale").asBoolean()).isFalse();
      assertThat(fixed.path("revision").asText()).isEqualTo(before.path("workspace").asText());
    }
  }

  @Test
  void theWorkspaceNeedsTheReadRoleWithAuthOn(@TempDir Path dir) throws ConfigException {
    ServerConfig config = ServerConfig.defaults(TestPolicies.executeGate(dir.resolve("policies"))).withPort(0)
        .withWorkspace(copyOfDemo(dir.resolve("workspace")))
        .withTokens(List.of(ApiToken.of("dashboard", READER, Set.of(Role.READ), java.util.Set.of()),
            ApiToken.of("ci", DECIDER, Set.of(Role.DECIDE), java.util.Set.of())));
    try (RunningServer secured = RunningServer.start(config)) {
      HttpResponse<Buffer> anonymous = secured.get("/v1/workspace");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(errorCode(anonymous)).isEqualTo("unauthenticated");
      HttpResponse<Buffer> decider = secured.get("/v1/workspace", DECIDER);
      assertThat(decider.statusCode()).isEqualTo(403);
      assertThat(errorCode(decider)).isEqualTo("forbidden");
      HttpResponse<Buffer> reader = secured.get("/v1/workspace", READER);
      assertThat(reader.statusCode()).isEqualTo(200);
      assertThat(json(reader).path("counts").path("issues").asInt()).isEqualTo(10);
    }
  }

  @Test
  void aServerWithoutAWorkspaceAnswers404NoWorkspace(@TempDir Path dir) {
    try (RunningServer plain = RunningServer.start(TestPolicies.executeGate(dir))) {
      HttpResponse<Buffer> response = plain.get("/v1/workspace");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(errorCode(response)).isEqualTo("no-workspace");
    }
  }

  @Test
  void theOldWorkspaceOnlySwitchIsRefusedWithWhatReplacedIt() {
    assertThatThrownBy(() -> new ConfigFile(null, 0, POLICIES, null, null, null, null, null, null, List.of("none"), null,
        null, null, null).resolve(null))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("workspaceOnly (--workspace-only) is gone");
  }

  private static JsonNode decide(RunningServer on, String gate, String subject) {
    HttpResponse<Buffer> response = on.postJson("/v1/decisions", request(gate, subject, null));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return json(response);
  }

  /** A request naming only gate, subject, time and actor, with {@code facts} when not null. */
  private static String request(String gate, String subject, String facts) {
    return "{\"gate\": \"" + gate + "\", \"subject\": \"" + subject + "\", \"at\": \"2026-06-02T10:00:00Z\","
        + " \"actor\": \"cto-harness\"" + (facts == null ? "" : ", \"facts\": " + facts) + "}";
  }

  private static String jpApproval(String id, String issue) {
    return "{\"id\": \"" + id + "\", \"issue\": \"" + issue + "\", \"approver\": \"JP\", \"scope\": \"execute\","
        + " \"statement\": \"approved\", \"recordedAt\": \"2026-06-01T09:00:00Z\"}";
  }

  private static List<String> denyCodes(JsonNode decision) {
    List<String> codes = new ArrayList<>();
    decision.path("reasons").forEach(r -> {
      if (r.path("severity").asText().equals("deny")) {
        codes.add(r.path("code").asText());
      }
    });
    return codes;
  }

  private static JsonNode file(JsonNode workspace, String path) {
    for (JsonNode file : workspace.path("files")) {
      if (file.path("path").asText().equals(path)) {
        return file;
      }
    }
    throw new AssertionError("no file " + path + " in " + workspace);
  }

  private static JsonNode awaitWorkspace(RunningServer on, Predicate<JsonNode> condition) {
    return Polling.await(WITHIN, "the workspace change", () -> json(on.get("/v1/workspace")), condition);
  }

  /** A copy of the demo workspace under {@code dir}, so a test can edit it. */
  static Path copyOfDemo(Path dir) {
    Path copy = dir.resolve("workspace");
    try (Stream<Path> files = Files.walk(DEMO)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(DEMO.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
