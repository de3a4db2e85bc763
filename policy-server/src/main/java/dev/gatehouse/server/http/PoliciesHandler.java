package dev.gatehouse.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.RuleInfo;
import dev.gatehouse.server.policies.PolicyDiff;
import dev.gatehouse.server.policies.PolicyRevision;
import dev.gatehouse.server.policies.PolicyRevisions;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v1/policies}: the active policy set; any revision the server has (active, a recent
 * candidate, or kept by the decision log) as its rule files and rules, and how two revisions
 * differ; and checks of candidate sets that are never activated.
 */
public final class PoliciesHandler {

  /** The most files one check may send: a policy set has tens. */
  static final int MAX_CHECK_FILES = 200;

  /** The most rule text one check may send, in bytes. */
  static final long MAX_CHECK_BYTES = 1024 * 1024;

  private final PolicyEngine engine;
  private final CandidateCompiles compiles;
  private final PolicyRevisions revisions;

  /**
   * The policies of {@code engine}, other revisions from {@code revisions}; candidate sets, and
   * revisions whose rules are not known yet, compile on {@code compiles}.
   */
  public PoliciesHandler(PolicyEngine engine, CandidateCompiles compiles, PolicyRevisions revisions) {
    this.engine = engine;
    this.compiles = compiles;
    this.revisions = revisions;
  }

  /** A compile problem as JSON. */
  record Issue(String file, int line, int column, String severity, String message) {
    static List<Issue> of(List<CompileIssue> issues) {
      return issues.stream()
          .map(i -> new Issue(i.file(), i.line(), i.column(), i.severity().label(), i.message()))
          .toList();
    }
  }

  /** A rule and its metadata as JSON. */
  record Rule(String name, String file, int line, List<String> gates, String code, String description,
      Map<String, String> metadata, String source) {}

  /** The last reload that did not activate. */
  record ReloadError(String revision, String message, List<Issue> issues) {}

  /** The answer of {@code GET /v1/policies}. */
  record Active(String revision, List<String> files, List<String> gates, List<Rule> rules,
      @JsonInclude(JsonInclude.Include.NON_NULL) ReloadError lastReloadError) {}

  /** The answer of {@code POST /v1/policies/check}. */
  record CheckResult(boolean ok, String revision, List<Issue> issues) {}

  /** A rule file and its text. */
  record File(String path, String text) {}

  /** The answer of {@code GET /v1/policies/{revision}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Revision(String revision, PolicyRevision.Origin origin, List<File> files, List<Rule> rules, String problem) {

    static Revision of(PolicyRevision r) {
      List<File> files = r.files().files().keySet().stream().map(path -> new File(path, r.files().text(path))).toList();
      List<Rule> rules = r.rules().orElse(List.of()).stream().map(PoliciesHandler::rule).toList();
      return new Revision(r.revision(), r.origin(), files, rules, r.problem());
    }
  }

  /** {@code GET /v1/policies}: 200 with the active set (revision null when none compiled) and the last reload error. */
  public void active(RoutingContext ctx) {
    ctx.vertx().executeBlocking(() -> JsonBodies.encode(describeActive()), false)
        .onSuccess(json -> JsonBodies.send(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST /v1/policies/check}: 200 with the diagnostics of the files sent, a compiler that
   * throws included; nothing is activated or written. 503 {@code busy} while too many wait.
   */
  public void check(RoutingContext ctx) {
    byte[] body = JsonBodies.body(ctx);
    compiles.submit(ctx, () -> {
      PolicyFiles files = readCandidate(body);
      CompileResult result = engine.compileCandidate(files);
      result.policySet().ifPresent(revisions::remember);
      return JsonBodies.encode(new CheckResult(result.succeeded(), files.revision(), Issue.of(result.issues())));
    }).onSuccess(json -> JsonBodies.send(ctx, 200, json)).onFailure(ctx::fail);
  }

  /**
   * {@code GET /v1/policies/{revision}}: the rule files and rules of {@code revision} ({@code
   * active} for the active one); 404 {@code revision-not-found} when the server has no such
   * revision. A revision from the log whose rules are not known yet compiles first (503 {@code
   * compile-busy} while too many wait).
   */
  public void revision(RoutingContext ctx) {
    String name = ctx.pathParam("revision");
    described(ctx, null, name)
        .map(found -> JsonBodies.encode(Revision.of(found)))
        .onSuccess(json -> JsonBodies.send(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET /v1/policies/{revision}/diff?against=}: how {@code revision} differs from {@code
   * against} ({@code active} by default): per file a unified diff, per rule whether it was added,
   * removed or changed. Either name may be {@code active}.
   */
  public void diff(RoutingContext ctx) {
    for (String parameter : ctx.queryParams().names()) {
      if (!parameter.equals("against")) {
        ctx.fail(ApiException.invalid(parameter, "unknown query parameter '" + parameter + "'; expected against"));
        return;
      }
    }
    String name = ctx.pathParam("revision");
    String against = ctx.queryParams().get("against");
    String base = against == null || against.isBlank() ? PolicyRevisions.ACTIVE : against.strip();
    // One after the other: both may need a compile, and each takes a turn like any candidate.
    described(ctx, null, name)
        .compose(revision -> described(ctx, "against", base)
            .map(before -> JsonBodies.encode(PolicyDiff.between(revision, before))))
        .onSuccess(json -> JsonBodies.send(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /**
   * The revision {@code name} with its rules, found off the event loop and compiled when its rules
   * are unknown; {@code parameter} is the query parameter that named it, or null for the path.
   */
  private Future<PolicyRevision> described(RoutingContext ctx, String parameter, String name) {
    if (!PolicyRevisions.wellFormed(name)) {
      String message = "'" + shorten(name) + "' is not a policy revision: expected active or sha256: and 64 hex digits";
      // A path that names no revision is no resource; a query parameter that names none is a bad request.
      return Future.failedFuture(parameter == null
          ? new ApiException(404, "revision-not-found", message)
          : ApiException.invalid(parameter, message));
    }
    return ctx.vertx().executeBlocking(() -> revisions.find(name).orElseThrow(() -> notFound(name)), false)
        .compose(found -> found.described()
            ? Future.succeededFuture(found)
            : compiles.submit(ctx, () -> revisions.describe(found)));
  }

  private static ApiException notFound(String name) {
    return new ApiException(404, "revision-not-found", name.equals(PolicyRevisions.ACTIVE)
        ? "no policy set is active: none has compiled yet"
        : "no policy revision " + name + " is active, a recent candidate or kept by the decision log");
  }

  private static String shorten(String text) {
    String t = text == null ? "" : text;
    return t.length() > 100 ? t.substring(0, 100) + "..." : t;
  }

  private Active describeActive() {
    Optional<PolicySet> active = engine.active();
    ReloadError error = engine.lastReloadFailure()
        .map(f -> new ReloadError(f.revision(), f.message(), Issue.of(f.issues())))
        .orElse(null);
    if (active.isEmpty()) {
      return new Active(null, List.of(), List.of(), List.of(), error);
    }
    PolicySet set = active.get();
    List<Rule> rules = set.rules().stream().map(PoliciesHandler::rule).toList();
    return new Active(set.revision(), List.copyOf(set.files().files().keySet()), List.copyOf(set.gates()), rules, error);
  }

  private static Rule rule(RuleInfo r) {
    return new Rule(r.name(), r.file(), r.line(), r.gates(), r.code(), r.description(), r.metadata(), r.source());
  }

  /** Reads {@code {"files": {"relative/path.drl": "text"}}}, refusing anything else with the JSON path. */
  static PolicyFiles readCandidate(byte[] body) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(body);
    } catch (JacksonException e) {
      InvalidInputException invalid = Json.invalidInput(null, e);
      throw ApiException.invalid(invalid.path(), invalid.getMessage());
    } catch (java.io.IOException e) {
      throw ApiException.invalid(null, "the document could not be read");
    }
    if (root == null || !root.isObject()) {
      throw ApiException.invalid(null, "the request must be a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("files")) {
        throw ApiException.invalid(name, "unknown field '" + name + "'; expected one of files");
      }
    }
    JsonNode files = root.get("files");
    if (files == null || !files.isObject()) {
      throw ApiException.invalid("files", "expected an object of file paths to rule text");
    }
    if (files.size() > MAX_CHECK_FILES) {
      throw ApiException.invalid("files", files.size() + " files sent; at most " + MAX_CHECK_FILES + " are accepted");
    }
    Map<String, byte[]> texts = new LinkedHashMap<>();
    long total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> file = it.next();
      String path = file.getKey();
      String at = "files[\"" + path + "\"]";
      if (!file.getValue().isTextual()) {
        throw ApiException.invalid(at, "expected the file's text as a string");
      }
      if (!relative(path) || !PolicyFiles.isRuleFile(path)) {
        throw ApiException.invalid(at, "'" + path + "' is not a relative path to a .drl, .dsl or .dslr file");
      }
      byte[] text = file.getValue().textValue().getBytes(StandardCharsets.UTF_8);
      total += text.length;
      if (total > MAX_CHECK_BYTES) {
        throw new ApiException(413, "body-too-large", "the files hold more than " + MAX_CHECK_BYTES + " bytes of rule text");
      }
      texts.put(path, text);
    }
    return PolicyFiles.of(texts);
  }

  private static boolean relative(String path) {
    return !path.isEmpty() && !path.startsWith("/") && !path.contains("\\") && !path.contains(":")
        && List.of(path.split("/", -1)).stream().noneMatch(part -> part.isEmpty() || part.equals(".") || part.equals(".."));
  }
}
