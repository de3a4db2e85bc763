package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.LogSettings;
import dev.gatehouse.server.config.ServerConfig;
import dev.gatehouse.server.log.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document and the server agree: every documented operation is called, every answer's
 * status is documented for its operation and its body matches the documented schema, and every
 * documented status (but 500, which a healthy server never gives) is actually produced.
 *
 * <p>Five servers give every answer: {@code authed} (tokens, a decision log, no workspace),
 * {@code broken} (no policy set compiles, a workspace), {@code closed} (its decision log closed, as in a
 * shutdown), {@code workspaced} (the bundled example workspace), {@code busy} (as many
 * candidate compiles pending as it takes, blocked in its compiler) and {@code crowded} (the one
 * body it may read at once held by a client that is slow to send it).
 */
class OpenApiContractTest {

  private static final String DECIDER = Tokens.DECIDER;
  private static final String READER = Tokens.READER;
  private static final String ADMIN = Tokens.ADMIN;
  private static final String REVIEWER = Tokens.REVIEWER;
  private static final String JSON = "application/json";

  @TempDir static Path dir;
  static RunningServer authed;
  static RunningServer broken;
  static RunningServer closed;
  static RunningServer workspaced;
  static RunningServer busy;
  static final FaultyCompiler busyCompiler = new FaultyCompiler();

  static RunningServer crowded;
  /** A replica whose log and policy set are on PostgreSQL, where policy sets are activated. */
  static RunningServer shared;
  static TestPostgres.Database database;

  /** The slow client holding {@code crowded}'s one place. */
  static RawHttp slowBody;
  /** A decision in the log of {@code authed}. */
  static String logged;
  /** Its policy revision: {@code authed}'s active one. */
  static String loggedRevision;
  /** A revision in {@code busy}'s log that is no longer active. */
  static String busyLogged;
  static Vertx vertx;
  static OpenAPIContract contract;
  static ResponseValidator validator;
  static Validator errorBody;
  static final Map<String, String> unvalidated = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    ServerConfig good = ServerConfig.defaults(TestPolicies.executeGate(dir.resolve("good"))).withPort(0);
    authed = RunningServer.start(good.withData(dir.resolve("authed")).withTokens(Tokens.all()));
    // With a workspace, so that its audit has no policy set to decide with.
    broken = RunningServer.start(ServerConfig.defaults(TestPolicies.write(dir.resolve("broken"), "gates/broken.drl",
        TestPolicies.BROKEN)).withPort(0).withData(dir.resolve("broken-data"))
        .withWorkspace(Path.of(System.getProperty("gatehouse.root"), "examples", "workspace")));
    closed = RunningServer.start(good.withData(dir.resolve("closed")));
    closed.server.log().orElseThrow().close();
    workspaced = RunningServer.start(good.withWorkspace(Path.of(System.getProperty("gatehouse.root"), "examples", "workspace")));
    // Its own policies and log: a decision under one revision, then another revision active, so
    // that reading the first one's rules needs a compile, which waits behind the blocked checks.
    Path busyPolicies = TestPolicies.executeGate(dir.resolve("busy-policies"));
    busy = RunningServer.start(ServerConfig.defaults(busyPolicies).withPort(0).withData(dir.resolve("busy-data")),
        busyCompiler);
    busyLogged = RunningServer.json(busy.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST, null))
        .path("policy").path("revision").asText();
    TestPolicies.write(busyPolicies, "gates/merge.drl", TestPolicies.MERGE);
    busy.awaitPolicies(null, Duration.ofSeconds(10), p -> !p.path("revision").asText().equals(busyLogged));
    int capacity = CandidateCompiles.CONCURRENCY + CandidateCompiles.QUEUE;
    String slow = "{\"files\": {\"gates/execute.drl\": " + AuthTest.quoted(FaultyCompiler.BLOCK + "\n" + TestPolicies.EXECUTE) + "}}";
    for (int i = 0; i < capacity; i++) {
      busy.postJsonLater("/v1/policies/check", slow, null);
    }
    Polling.await(java.time.Duration.ofSeconds(10), "the busy server's checks admitted",
        () -> busy.metric("gatehouse_policy_checks_pending"), pending -> pending == capacity);
    crowded = RunningServer.start(good.withConcurrentBodies(1));
    slowBody = RawHttp.connect(crowded.port()).send(RawHttp.head("POST", "/v1/decisions", "127.0.0.1",
        "Content-Type: application/json", "Content-Length: 100") + "{");
    Polling.await(Duration.ofSeconds(5), "crowded's place held",
        () -> crowded.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST).statusCode(), status -> status == 503);
    database = TestPostgres.createDatabase();
    shared = RunningServer.start(good.withTokens(Tokens.all()).withLog(LogSettings.DEFAULT.withPostgres(database.url())));
    JsonNode decided = RunningServer.json(authed.postJson("/v1/decisions", TestPolicies.ALLOW_REQUEST, DECIDER));
    logged = decided.path("decisionId").asText();
    loggedRevision = decided.path("policy").path("revision").asText();
    vertx = Vertx.vertx();
    JsonObject document = new JsonObject(readDocument());
    contract = OpenAPIContract.from(vertx, withoutUnvalidatedMediaTypes(document)).await();
    validator = ResponseValidator.create(vertx, contract);
    errorBody = Validator.create(
        JsonSchema.of(document.getJsonObject("components").getJsonObject("schemas").getJsonObject("ErrorBody")),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://gatehouse.dev/"));
  }

  @AfterAll
  static void stop() throws ConfigException {
    authed.close();
    broken.close();
    closed.close();
    workspaced.close();
    busyCompiler.release();
    slowBody.close();
    crowded.close();
    busy.close();
    shared.close();
    database.close();
    vertx.close().await();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readDocument() throws Exception {
    ObjectMapper yaml = new YAMLMapper();
    try (InputStream in = OpenApiContractTest.class.getResourceAsStream(OpenApiHandler.RESOURCE)) {
      return yaml.readValue(in, Map.class);
    }
  }

  /**
   * A copy of the document without its text media types, which the Vert.x validator cannot read
   * with parameters ({@code text/plain; version=0.0.4}) or at all ({@code application/yaml}); they
   * are remembered and the test checks the answer's media type instead.
   */
  private static JsonObject withoutUnvalidatedMediaTypes(JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject paths = copy.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject responses = paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses");
        for (String status : responses.fieldNames()) {
          JsonObject content = responses.getJsonObject(status).getJsonObject("content");
          String text = content == null ? null : content.fieldNames().stream().filter(t -> !t.equals(JSON)).findFirst().orElse(null);
          if (text != null) {
            content.remove(text);
            unvalidated.put(method.toUpperCase(java.util.Locale.ROOT) + " " + path + " " + status, text);
          }
        }
      }
    }
    return copy;
  }

  /** One call to a server, naming {@code host} in {@code Host} when it is not null. */
  record Call(String name, RunningServer server, HttpMethod method, String path, String contentType, String body, String token,
      String host) {

    Call(String name, RunningServer server, HttpMethod method, String path, String contentType, String body, String token) {
      this(name, server, method, path, contentType, body, token, null);
    }

    HttpResponse<Buffer> send() {
      return server.send(method, path, contentType, body == null ? null : Buffer.buffer(body), token, host);
    }
  }

  static List<Call> calls() {
    String check = "{\"files\": {\"gates/execute.drl\": " + AuthTest.quoted(TestPolicies.EXECUTE) + "}}";
    String badCheck = "{\"files\": {\"gates/broken.drl\": " + AuthTest.quoted(TestPolicies.BROKEN) + "}}";
    String huge = "{\"gate\": \"execute\", \"subject\": \"" + "x".repeat(1024 * 1024) + "\"}";
    String replay = "/v1/decisions/" + logged + "/replay";
    // A candidate that renames the rule: its check flips from passed to absent, and the new one in.
    String renamedRule = TestPolicies.EXECUTE.replace("subject must be a known issue", "subject must be a listed issue");
    String renamed = "{\"files\": {\"gates/execute.drl\": " + AuthTest.quoted(renamedRule) + "}}";
    // The revision a replay against that candidate names, and the server then keeps.
    String candidate = PolicyFiles.of(Map.of("gates/execute.drl", renamedRule.getBytes(StandardCharsets.UTF_8))).revision();
    String unknown = "sha256:" + "0".repeat(64);
    String many = "/v1/decisions/replay";
    return List.of(
        new Call("allow", authed, HttpMethod.POST, "/v1/decisions", JSON, TestPolicies.ALLOW_REQUEST, DECIDER),
        new Call("deny", authed, HttpMethod.POST, "/v1/decisions", JSON, TestPolicies.DENY_REQUEST, DECIDER),
        new Call("undeclared gate", authed, HttpMethod.POST, "/v1/decisions", JSON, "{\"gate\": \"x\", \"subject\": \"X-1\"}", DECIDER),
        new Call("invalid decision", authed, HttpMethod.POST, "/v1/decisions", JSON, "{\"gate\": 1}", DECIDER),
        new Call("no token", authed, HttpMethod.POST, "/v1/decisions", JSON, TestPolicies.ALLOW_REQUEST, null),
        new Call("wrong role", authed, HttpMethod.POST, "/v1/decisions", JSON, TestPolicies.ALLOW_REQUEST, READER),
        new Call("too large", authed, HttpMethod.POST, "/v1/decisions", JSON, huge, DECIDER),
        new Call("not json", authed, HttpMethod.POST, "/v1/decisions", "text/plain", "gate=execute", DECIDER),
        new Call("no policies", broken, HttpMethod.POST, "/v1/decisions", JSON, TestPolicies.ALLOW_REQUEST, null),
        new Call("policies", authed, HttpMethod.GET, "/v1/policies", null, null, READER),
        new Call("policies with reload error", broken, HttpMethod.GET, "/v1/policies", null, null, null),
        new Call("policies without token", authed, HttpMethod.GET, "/v1/policies", null, null, null),
        new Call("policies wrong role", authed, HttpMethod.GET, "/v1/policies", null, null, DECIDER),
        new Call("check ok", authed, HttpMethod.POST, "/v1/policies/check", JSON, check, ADMIN),
        new Call("check with issues", authed, HttpMethod.POST, "/v1/policies/check", JSON, badCheck, ADMIN),
        new Call("check invalid", authed, HttpMethod.POST, "/v1/policies/check", JSON, "{\"files\": 1}", ADMIN),
        new Call("check without token", authed, HttpMethod.POST, "/v1/policies/check", JSON, check, null),
        new Call("check wrong role", authed, HttpMethod.POST, "/v1/policies/check", JSON, check, READER),
        new Call("check too large", authed, HttpMethod.POST, "/v1/policies/check", JSON, huge, ADMIN),
        new Call("check busy", busy, HttpMethod.POST, "/v1/policies/check", JSON, check, null),
        new Call("check not json", authed, HttpMethod.POST, "/v1/policies/check", "application/xml", "<files/>", ADMIN),
        new Call("live", authed, HttpMethod.GET, "/health/live", null, null, null),
        new Call("ready", authed, HttpMethod.GET, "/health/ready", null, null, null),
        new Call("not ready", broken, HttpMethod.GET, "/health/ready", null, null, null),
        new Call("metrics", authed, HttpMethod.GET, "/metrics", null, null, null),
        new Call("openapi", authed, HttpMethod.GET, "/openapi.yaml", null, null, null),
        new Call("unknown path", authed, HttpMethod.GET, "/v2/anything", null, null, DECIDER),
        new Call("wrong method", authed, HttpMethod.DELETE, "/v1/policies", null, null, ADMIN),
        new Call("log closed", closed, HttpMethod.POST, "/v1/decisions", JSON, TestPolicies.ALLOW_REQUEST, null),
        new Call("log closed not ready", closed, HttpMethod.GET, "/health/ready", null, null, null),
        new Call("list", authed, HttpMethod.GET, "/v1/decisions?gate=execute&outcome=ALLOW&limit=1", null, null, READER),
        new Call("list invalid", authed, HttpMethod.GET, "/v1/decisions?limit=0", null, null, READER),
        new Call("list without token", authed, HttpMethod.GET, "/v1/decisions", null, null, null),
        new Call("list wrong role", authed, HttpMethod.GET, "/v1/decisions", null, null, DECIDER),
        new Call("list log closed", closed, HttpMethod.GET, "/v1/decisions", null, null, null),
        new Call("verify", authed, HttpMethod.GET, "/v1/decisions/verify", null, null, ADMIN),
        new Call("verify without token", authed, HttpMethod.GET, "/v1/decisions/verify", null, null, null),
        new Call("verify wrong role", authed, HttpMethod.GET, "/v1/decisions/verify", null, null, READER),
        new Call("verify malformed escape", authed, HttpMethod.GET, "/v1/decisions/verify?x=%zz", null, null, ADMIN),
        new Call("verify log closed", closed, HttpMethod.GET, "/v1/decisions/verify", null, null, null),
        new Call("detail", authed, HttpMethod.GET, "/v1/decisions/" + logged, null, null, READER),
        new Call("detail without token", authed, HttpMethod.GET, "/v1/decisions/" + logged, null, null, null),
        new Call("detail wrong role", authed, HttpMethod.GET, "/v1/decisions/" + logged, null, null, DECIDER),
        new Call("detail unknown", authed, HttpMethod.GET, "/v1/decisions/0190f6c2", null, null, READER),
        new Call("detail log closed", closed, HttpMethod.GET, "/v1/decisions/0190f6c2", null, null, null),
        new Call("replay", authed, HttpMethod.POST, replay, null, null, READER),
        new Call("replay as decided", authed, HttpMethod.POST, replay + "?mode=as-decided", null, null, READER),
        new Call("replay now", authed, HttpMethod.POST, replay + "?mode=now", null, null, READER),
        new Call("replay unknown mode", authed, HttpMethod.POST, replay + "?mode=later", null, null, READER),
        new Call("replay candidate", authed, HttpMethod.POST, replay, JSON, renamed, REVIEWER),
        new Call("replay candidate invalid", authed, HttpMethod.POST, replay, JSON, badCheck, REVIEWER),
        new Call("candidate revision", authed, HttpMethod.GET, "/v1/policies/" + candidate, null, null, READER),
        new Call("candidate diff", authed, HttpMethod.GET, "/v1/policies/" + candidate + "/diff?against=active", null, null,
            READER),
        new Call("replay candidate without admin", authed, HttpMethod.POST, replay, JSON, check, READER),
        new Call("replay without token", authed, HttpMethod.POST, replay, null, null, null),
        new Call("replay unknown", authed, HttpMethod.POST, "/v1/decisions/0190f6c2/replay", null, null, READER),
        new Call("replay too large", authed, HttpMethod.POST, replay, JSON, huge, REVIEWER),
        new Call("replay no policies", broken, HttpMethod.POST, "/v1/decisions/0190f6c2/replay", null, null, null),
        new Call("workspace", workspaced, HttpMethod.GET, "/v1/workspace", null, null, null),
        new Call("decide facts not permitted", workspaced, HttpMethod.POST, "/v1/decisions", JSON,
            TestPolicies.ALLOW_REQUEST, null),
        new Call("no workspace", authed, HttpMethod.GET, "/v1/workspace", null, null, READER),
        new Call("audit", workspaced, HttpMethod.GET, "/v1/workspace/audit?at=2026-06-02T10:00:00Z", null, null, null),
        new Call("audit bad time", workspaced, HttpMethod.GET, "/v1/workspace/audit?at=noon", null, null, null),
        new Call("audit no policies", broken, HttpMethod.GET, "/v1/workspace/audit", null, null, null),
        new Call("audit no workspace", authed, HttpMethod.GET, "/v1/workspace/audit", null, null, READER),
        new Call("audit without token", authed, HttpMethod.GET, "/v1/workspace/audit", null, null, null),
        new Call("audit wrong role", authed, HttpMethod.GET, "/v1/workspace/audit", null, null, DECIDER),
        new Call("workspace without token", authed, HttpMethod.GET, "/v1/workspace", null, null, null),
        new Call("workspace wrong role", authed, HttpMethod.GET, "/v1/workspace", null, null, DECIDER),
        new Call("detail malformed escape", authed, HttpMethod.GET, "/v1/decisions/%zz", null, null, READER),
        new Call("workspace malformed escape", workspaced, HttpMethod.GET, "/v1/workspace?x=%zz", null, null, null),
        new Call("policies malformed escape", authed, HttpMethod.GET, "/v1/policies?x=%zz", null, null, READER),
        new Call("live malformed escape", authed, HttpMethod.GET, "/health/live?x=%zz", null, null, null),
        new Call("ready malformed escape", authed, HttpMethod.GET, "/health/ready?x=%zz", null, null, null),
        new Call("metrics malformed escape", authed, HttpMethod.GET, "/metrics?x=%zz", null, null, null),
        new Call("openapi malformed escape", authed, HttpMethod.GET, "/openapi.yaml?x=%zz", null, null, null),
        new Call("decide rebound host", workspaced, HttpMethod.POST, "/v1/decisions", JSON, TestPolicies.ALLOW_REQUEST, null,
            "evil.example"),
        new Call("live rebound host", workspaced, HttpMethod.GET, "/health/live", null, null, null, "evil.example"),
        new Call("ready rebound host", workspaced, HttpMethod.GET, "/health/ready", null, null, null, "evil.example"),
        new Call("metrics rebound host", workspaced, HttpMethod.GET, "/metrics", null, null, null, "evil.example"),
        new Call("openapi rebound host", workspaced, HttpMethod.GET, "/openapi.yaml", null, null, null, "evil.example"),
        new Call("decide crowded", crowded, HttpMethod.POST, "/v1/decisions", JSON, TestPolicies.ALLOW_REQUEST, null),
        new Call("check crowded", crowded, HttpMethod.POST, "/v1/policies/check", JSON, check, null),
        new Call("batch", authed, HttpMethod.POST, "/v1/decisions/batch", JSON,
            "{\"requests\": [" + TestPolicies.ALLOW_REQUEST + ", {\"gate\": 1}]}", DECIDER),
        new Call("batch invalid", authed, HttpMethod.POST, "/v1/decisions/batch", JSON, "{\"requests\": 1}", DECIDER),
        new Call("batch without token", authed, HttpMethod.POST, "/v1/decisions/batch", JSON, "{\"requests\": []}", null),
        new Call("batch wrong role", authed, HttpMethod.POST, "/v1/decisions/batch", JSON, "{\"requests\": []}", READER),
        new Call("batch too large", authed, HttpMethod.POST, "/v1/decisions/batch", JSON, huge, DECIDER),
        new Call("batch not json", authed, HttpMethod.POST, "/v1/decisions/batch", "text/plain", "x", DECIDER),
        new Call("batch no policies", broken, HttpMethod.POST, "/v1/decisions/batch", JSON, "{\"requests\": []}", null),
        new Call("board", workspaced, HttpMethod.GET, "/v1/board?at=2026-06-02T10:00:00Z&explain=true", null, null, null),
        new Call("board invalid", workspaced, HttpMethod.GET, "/v1/board?gate=deploy", null, null, null),
        new Call("board without token", authed, HttpMethod.GET, "/v1/board", null, null, null),
        new Call("board wrong role", authed, HttpMethod.GET, "/v1/board", null, null, DECIDER),
        new Call("board no workspace", authed, HttpMethod.GET, "/v1/board", null, null, READER),
        new Call("activate", shared, HttpMethod.POST, "/v1/policies/activate", JSON, check, ADMIN),
        new Call("activate does not compile", shared, HttpMethod.POST, "/v1/policies/activate", JSON, badCheck, ADMIN),
        new Call("activate without token", shared, HttpMethod.POST, "/v1/policies/activate", JSON, check, null),
        new Call("activate wrong role", shared, HttpMethod.POST, "/v1/policies/activate", JSON, check, READER),
        new Call("activate policy directory", authed, HttpMethod.POST, "/v1/policies/activate", JSON, check, ADMIN),
        new Call("activate too large", shared, HttpMethod.POST, "/v1/policies/activate", JSON, huge, ADMIN),
        new Call("activate not json", shared, HttpMethod.POST, "/v1/policies/activate", "text/plain", "x", ADMIN),
        new Call("activate crowded", crowded, HttpMethod.POST, "/v1/policies/activate", JSON, check, null),
        new Call("replay crowded", crowded, HttpMethod.POST, "/v1/decisions/0190f6c2/replay", JSON, "{}", null),
        new Call("revision", authed, HttpMethod.GET, "/v1/policies/" + loggedRevision, null, null, READER),
        new Call("revision active", authed, HttpMethod.GET, "/v1/policies/active", null, null, READER),
        new Call("revision unknown", authed, HttpMethod.GET, "/v1/policies/" + unknown, null, null, READER),
        new Call("revision none active", broken, HttpMethod.GET, "/v1/policies/active", null, null, null),
        new Call("revision without token", authed, HttpMethod.GET, "/v1/policies/active", null, null, null),
        new Call("revision wrong role", authed, HttpMethod.GET, "/v1/policies/active", null, null, DECIDER),
        new Call("revision malformed escape", authed, HttpMethod.GET, "/v1/policies/%zz", null, null, READER),
        new Call("revision busy", busy, HttpMethod.GET, "/v1/policies/" + busyLogged, null, null, null),
        new Call("diff", authed, HttpMethod.GET, "/v1/policies/active/diff?against=" + loggedRevision, null, null, READER),
        new Call("diff unknown", authed, HttpMethod.GET, "/v1/policies/active/diff?against=" + unknown, null, null, READER),
        new Call("diff invalid", authed, HttpMethod.GET, "/v1/policies/active/diff?against=yesterday", null, null, READER),
        new Call("diff without token", authed, HttpMethod.GET, "/v1/policies/active/diff", null, null, null),
        new Call("diff wrong role", authed, HttpMethod.GET, "/v1/policies/active/diff", null, null, DECIDER),
        new Call("diff busy", busy, HttpMethod.GET, "/v1/policies/" + busyLogged + "/diff", null, null, null),
        new Call("replay many", authed, HttpMethod.POST, many + "?mode=candidate&limit=5", JSON, renamed, REVIEWER),
        new Call("replay many now", authed, HttpMethod.POST, many, null, null, READER),
        new Call("replay many as decided", authed, HttpMethod.POST, many + "?mode=as-decided", null, null, READER),
        new Call("replay many without admin", authed, HttpMethod.POST, many, JSON, renamed, READER),
        new Call("replay many without token", authed, HttpMethod.POST, many, null, null, null),
        new Call("replay many too large", authed, HttpMethod.POST, many, JSON, huge, REVIEWER),
        new Call("replay many no policies", broken, HttpMethod.POST, many, null, null, null),
        new Call("replay many busy", busy, HttpMethod.POST, many, JSON, renamed, null));
  }

  @Test
  void everyAnswerMatchesTheDocumentAndEveryDocumentedStatusOccurs() {
    Map<String, Set<Integer>> seen = new TreeMap<>();
    for (Call call : calls()) {
      HttpResponse<Buffer> response = call.send();
      Operation operation = contract.findOperation(call.path().split("\\?")[0], call.method());
      if (operation == null) {
        assertThat(response.statusCode()).as(call.name()).isIn(404, 405);
        assertValidError(call, response);
        continue;
      }
      seen.computeIfAbsent(operation.getOperationId(), id -> new TreeSet<>()).add(response.statusCode());
      assertThat(operation.getResponse(response.statusCode()))
          .as("%s: status %d is documented for %s", call.name(), response.statusCode(), operation.getOperationId())
          .isNotNull();
      String mediaType = unvalidated.get(call.method() + " " + operation.getOpenAPIPath() + " " + response.statusCode());
      if (mediaType != null) {
        assertThat(response.getHeader("Content-Type").split(";")[0]).as(call.name()).isEqualTo(mediaType);
        continue;
      }
      Map<String, String> headers = new HashMap<>();
      response.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
      ValidatableResponse answer = ValidatableResponse.create(
          response.statusCode(), headers, response.body(), response.getHeader("Content-Type"));
      try {
        validator.validate(answer, operation.getOperationId()).await();
      } catch (RuntimeException e) {
        throw new AssertionError(call.name() + ": " + e.getMessage() + "\n" + response.bodyAsString(), e);
      }
    }

    Map<String, Set<Integer>> documented = new TreeMap<>();
    for (Operation operation : contract.operations()) {
      Set<Integer> statuses = operation.getOpenAPIModel().getJsonObject("responses").fieldNames().stream()
          .filter(status -> status.matches("\\d{3}")).map(Integer::valueOf).filter(s -> s != 500).collect(Collectors.toCollection(TreeSet::new));
      documented.put(operation.getOperationId(), statuses);
    }
    assertThat(seen).isEqualTo(documented);
  }

  @Test
  void wouldNoticeADecisionThatDriftsFromTheDocument() {
    HttpResponse<Buffer> response = authed.postJson("/v1/decisions", TestPolicies.DENY_REQUEST, DECIDER);
    JsonObject drifted = response.bodyAsJsonObject().put("score", 0.5);
    drifted.remove("checks");

    ValidatableResponse answer = ValidatableResponse.create(200, drifted.toBuffer(), JSON);
    assertThatThrownBy(() -> validator.validate(answer, "decide").await()).isInstanceOf(RuntimeException.class);
  }

  private static void assertValidError(Call call, HttpResponse<Buffer> response) {
    assertThat(response.getHeader("Content-Type")).as(call.name()).isEqualTo(JSON);
    OutputUnit result = errorBody.validate(response.bodyAsJsonObject());
    assertThat(result.getValid()).as("%s: error body %s: %s", call.name(), response.bodyAsString(), result.getErrors()).isTrue();
  }
}
