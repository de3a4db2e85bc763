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
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /v1/policies}: the active policy set, and checks of candidate sets that are never activated. */
public final class PoliciesHandler {

  /** The most files one check may send: a policy set has tens. */
  static final int MAX_CHECK_FILES = 200;

  /** The most rule text one check may send, in bytes. */
  static final long MAX_CHECK_BYTES = 1024 * 1024;

  private final PolicyEngine engine;
  private final CandidateCompiles compiles;

  /** The policies of {@code engine}; candidate sets compile on {@code compiles}. */
  public PoliciesHandler(PolicyEngine engine, CandidateCompiles compiles) {
    this.engine = engine;
    this.compiles = compiles;
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
      return JsonBodies.encode(new CheckResult(result.succeeded(), files.revision(), Issue.of(result.issues())));
    }).onSuccess(json -> JsonBodies.send(ctx, 200, json)).onFailure(ctx::fail);
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
