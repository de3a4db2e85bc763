package dev.gatehouse.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.server.watch.WorkspaceWatcher;
import dev.gatehouse.server.config.Role;
import dev.gatehouse.server.log.DecisionLog;
import dev.gatehouse.server.log.LoggedDecision;
import dev.gatehouse.server.log.Page;
import dev.gatehouse.server.log.Query;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.server.policies.PolicyRevisions;
import dev.gatehouse.server.replay.DecidedWith;
import dev.gatehouse.server.replay.Impact;
import dev.gatehouse.server.replay.Replayer;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /v1/decisions} read side: the log, newest first and paged; one logged decision with its
 * input; its replays: as decided, against a candidate set sent in the body, and now; and the
 * replay of the newest decisions at once, for impact analysis.
 */
public final class DecisionLogHandler {

  private final DecisionLog log;
  private final PolicyEngine engine;
  private final Optional<WorkspaceWatcher> workspace;
  private final CandidateCompiles compiles;
  private final Replayer replayer = new Replayer();
  private final DecidedWith decidedWith;
  private final PolicyRevisions revisions;

  /**
   * Reads of {@code log}; replays with {@code engine}'s set, or candidates compiled on {@code
   * compiles} and remembered in {@code revisions}.
   */
  public DecisionLogHandler(DecisionLog log, PolicyEngine engine, Optional<WorkspaceWatcher> workspace,
      CandidateCompiles compiles, PolicyRevisions revisions) {
    this.log = log;
    this.engine = engine;
    this.workspace = workspace;
    this.compiles = compiles;
    this.decidedWith = new DecidedWith(log);
    this.revisions = revisions;
  }

  /** One line of the list: what a reviewer filters and sorts by. */
  record Summary(String decisionId, Instant loggedAt, String gate, String subject, String actor, String principal,
      Outcome outcome, String policyRevision, String workspaceRevision, long durationMicros) {

    static Summary of(LoggedDecision d) {
      return new Summary(d.decisionId(), d.loggedAt(), d.gate(), d.subject(), d.actor(), d.principal(),
          d.outcome(), d.policyRevision(), d.workspaceRevision(), d.durationMicros());
    }
  }

  /** The answer of the list. */
  record Listing(List<Summary> items, String nextCursor) {}

  /** {@code GET /v1/decisions}: newest first; {@code nextCursor} fetches the page after. */
  public void list(RoutingContext ctx) {
    Query query;
    try {
      query = query(ctx);
    } catch (InvalidInputException e) {
      ctx.fail(e);
      return;
    }
    ctx.vertx().executeBlocking(() -> {
      Page page;
      try {
        page = log.list(query);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("cursor", e.getMessage());
      }
      return JsonBodies.encode(new Listing(page.items().stream().map(Summary::of).toList(), page.nextCursor()));
    }, false).onSuccess(json -> JsonBodies.send(ctx, 200, json)).onFailure(ctx::fail);
  }

  /**
   * {@code GET /v1/decisions/verify}: the hash chain checked from the oldest decision to the newest;
   * {@code breaks} lists every broken link, the first broken link first. A log that cannot be read
   * fails the request rather than answering that the chain holds.
   */
  public void verify(RoutingContext ctx) {
    ctx.vertx().executeBlocking(() -> JsonBodies.encode(log.verify()), false)
        .onSuccess(json -> JsonBodies.send(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /** {@code GET /v1/decisions/{id}}: the decision as answered, and the request it answered. */
  public void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ctx.vertx().executeBlocking(() -> JsonBodies.encode(detail(find(id))), false)
        .onSuccess(json -> JsonBodies.send(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST /v1/decisions/{id}/replay?mode=}: {@code as-decided} with the deciding revision and
   * facts from the log's snapshots; {@code candidate} with the set in the body ({@code {"files":
   * {...}}}, which needs the admin role and is never activated or written) over the deciding facts;
   * {@code now} with the active set and workspace. Without {@code mode}, a body with files is a
   * candidate replay and an empty body (or {@code {}}) one of now.
   */
  public void replay(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    byte[] body = JsonBodies.body(ctx);
    Replayer.Mode mode;
    try {
      mode = mode(ctx, namesCandidate(body));
    } catch (InvalidInputException e) {
      ctx.fail(e);
      return;
    }
    if (!permitted(ctx, mode)) {
      return;
    }
    // A candidate or the active set is known before the decision is read; the deciding set only after.
    Future<PolicySet> given = switch (mode) {
      case CANDIDATE -> compiles.submit(ctx, () -> compileCandidate(body));
      case NOW -> active();
      case AS_DECIDED -> Future.succeededFuture();
    };
    given.compose(known -> ctx.vertx().executeBlocking(() -> find(id), false).compose(logged ->
        (known != null ? Future.succeededFuture(known) : deciding(ctx, logged)).compose(set ->
            ctx.vertx().executeBlocking(() -> {
              Workspace current = workspace.map(WorkspaceWatcher::current).orElse(null);
              Workspace facts = mode == Replayer.Mode.NOW ? current : decidedWith.workspace(logged, current);
              return JsonBodies.encode(replayer.replay(mode, logged, set, facts));
            }, false))))
        .onSuccess(json -> JsonBodies.send(ctx, 200, json)).onFailure(ctx::fail);
  }

  /** The parameters of a replay of many decisions. */
  private static final Set<String> MANY_PARAMETERS = Set.of("mode", "limit", "gate");

  /** How many of the newest decisions a replay of many takes when the client names no number. */
  static final int DEFAULT_REPLAY_LIMIT = 100;

  /**
   * {@code POST /v1/decisions/replay?mode=&limit=&gate=}: the newest {@code limit} decisions
   * (default {@value #DEFAULT_REPLAY_LIMIT}, at most {@link Query#MAX_LIMIT}), of {@code gate} when
   * given, replayed with one set: {@code candidate} (the set in the body, needing the admin role;
   * compiled once, never activated) over the facts each was decided with, or {@code now} (the
   * active set over the current workspace). The answer lists each decision that would change.
   * A replay of many as decided needs each decision's own revision: {@code gatehouse replay} does it.
   */
  public void replayMany(RoutingContext ctx) {
    byte[] body = JsonBodies.body(ctx);
    Replayer.Mode mode;
    Query query;
    try {
      for (String name : ctx.queryParams().names()) {
        if (!MANY_PARAMETERS.contains(name)) {
          throw new InvalidInputException(name, "unknown query parameter " + quote(name) + "; expected one of "
              + String.join(", ", new TreeSet<>(MANY_PARAMETERS)));
        }
      }
      mode = mode(ctx, namesCandidate(body));
      if (mode == Replayer.Mode.AS_DECIDED) {
        throw new InvalidInputException("mode", "a replay of many decisions as decided compiles each one's own"
            + " revision: run gatehouse replay --mode as-decided, or replay one decision");
      }
      query = new Query(text(ctx, "gate"), null, null, null, null, limit(ctx, DEFAULT_REPLAY_LIMIT), null);
    } catch (InvalidInputException e) {
      ctx.fail(e);
      return;
    }
    if (!permitted(ctx, mode)) {
      return;
    }
    Future<PolicySet> set = mode == Replayer.Mode.CANDIDATE ? compiles.submit(ctx, () -> compileCandidate(body)) : active();
    set.compose(with -> ctx.vertx().executeBlocking(() -> {
      Workspace current = workspace.map(WorkspaceWatcher::current).orElse(null);
      Impact.Report report = Impact.of(mode, with, log.list(query).items(),
          logged -> mode == Replayer.Mode.NOW ? current : decidedWith.workspace(logged, current));
      return JsonBodies.encode(report);
    }, false)).onSuccess(json -> JsonBodies.send(ctx, 200, json)).onFailure(ctx::fail);
  }

  /** Whether the caller may replay in {@code mode}, else the request fails with 403: a candidate needs the admin role besides read. */
  private static boolean permitted(RoutingContext ctx, Replayer.Mode mode) {
    if (mode == Replayer.Mode.CANDIDATE && !Principal.of(ctx).has(Role.ADMIN)) {
      ctx.fail(new ApiException(403, "forbidden", "replaying against a candidate policy set needs the admin role"));
      return false;
    }
    return true;
  }

  /** The revision that made {@code logged}: the active set while no edit came since, else compiled from its snapshot. */
  private Future<PolicySet> deciding(RoutingContext ctx, LoggedDecision logged) {
    return engine.active().filter(set -> set.revision().equals(logged.policyRevision()))
        .map(Future::succeededFuture)
        .orElseGet(() -> compiles.submit(ctx, () -> compileDeciding(logged)));
  }

  private Future<PolicySet> active() {
    return engine.active().map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
        new ApiException(503, "policies-unavailable", "no policy set is loaded")));
  }

  private PolicySet compileCandidate(byte[] body) {
    PolicyFiles files = PoliciesHandler.readCandidate(body);
    CompileResult result = engine.compileCandidate(files);
    PolicySet candidate = result.policySet().orElseThrow(() -> ApiException.invalid("files",
        "the candidate policy set does not compile: " + result.errors().get(0).describe()));
    revisions.remember(candidate);
    return candidate;
  }

  /** The deciding revision from its snapshot; that it no longer compiles is the server's fault, not the caller's. */
  private PolicySet compileDeciding(LoggedDecision logged) {
    CompileResult result = engine.compileCandidate(decidedWith.policies(logged));
    return result.policySet().orElseThrow(() -> new IllegalStateException("policy revision "
        + logged.policyRevision() + " no longer compiles from its snapshot: " + result.errors().get(0).describe()));
  }

  /** The {@code mode} parameter, or the mode the body implies; a body of files goes with a candidate replay only. */
  private static Replayer.Mode mode(RoutingContext ctx, boolean candidateBody) throws InvalidInputException {
    String name = text(ctx, "mode");
    if (name == null) {
      return candidateBody ? Replayer.Mode.CANDIDATE : Replayer.Mode.NOW;
    }
    Replayer.Mode mode = Replayer.Mode.named(name).orElseThrow(() -> new InvalidInputException("mode",
        "'" + name + "' is not a replay mode: expected as-decided, candidate or now"));
    if (mode == Replayer.Mode.CANDIDATE && !candidateBody) {
      throw new InvalidInputException("files", "a candidate replay needs the candidate set in the body: {\"files\": {...}}");
    }
    if (mode != Replayer.Mode.CANDIDATE && candidateBody) {
      throw new InvalidInputException("files", "only a candidate replay takes policy files; this one is " + name);
    }
    return mode;
  }

  private LoggedDecision find(String id) {
    return log.find(id).orElseThrow(() -> new ApiException(404, "decision-not-found", "no logged decision " + quote(id)));
  }

  /** The logged JSON is embedded as it was stored, so the decision reads byte for byte as answered. */
  private static ObjectNode detail(LoggedDecision d) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("decisionId", d.decisionId());
    node.put("loggedAt", d.loggedAt().toString());
    node.put("principal", d.principal());
    node.putRawValue("request", new RawValue(d.requestJson()));
    node.putRawValue("decision", new RawValue(d.decisionJson()));
    return node;
  }

  /** The list's query parameters; any other is refused, so a misspelled filter never silently lists everything. */
  private static final Set<String> LIST_PARAMETERS = Set.of("gate", "subject", "outcome", "from", "to", "limit", "cursor");

  private static Query query(RoutingContext ctx) throws InvalidInputException {
    for (String name : ctx.queryParams().names()) {
      if (!LIST_PARAMETERS.contains(name)) {
        throw new InvalidInputException(name, "unknown query parameter " + quote(name) + "; expected one of "
            + String.join(", ", new TreeSet<>(LIST_PARAMETERS)));
      }
    }
    String outcome = ctx.queryParams().get("outcome");
    Outcome parsed = null;
    if (outcome != null && !outcome.isBlank()) {
      try {
        parsed = Outcome.valueOf(outcome.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("outcome", "'" + outcome + "' is not an outcome: expected ALLOW or DENY");
      }
    }
    int limit = limit(ctx, Query.DEFAULT_LIMIT);
    try {
      return new Query(text(ctx, "gate"), text(ctx, "subject"), parsed, time(ctx, "from"), time(ctx, "to"), limit,
          text(ctx, "cursor"));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage().startsWith("limit") ? "limit" : "from", e.getMessage());
    }
  }

  /** The {@code limit} parameter, from 1 to {@link Query#MAX_LIMIT}, or {@code otherwise} without one. */
  private static int limit(RoutingContext ctx, int otherwise) throws InvalidInputException {
    String limitText = ctx.queryParams().get("limit");
    if (limitText == null || limitText.isBlank()) {
      return otherwise;
    }
    try {
      int limit = Integer.parseInt(limitText.strip());
      if (limit < 1 || limit > Query.MAX_LIMIT) {
        throw new InvalidInputException("limit", "limit must be between 1 and " + Query.MAX_LIMIT + ", got " + limit);
      }
      return limit;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("limit", "'" + limitText + "' is not a number");
    }
  }

  private static String text(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Instant time(RoutingContext ctx, String name) throws InvalidInputException {
    String value = text(ctx, name);
    return value == null ? null : RequestReader.parseInstant(name, value);
  }

  /** Anything but an empty body or {@code {}}; an unreadable body counts, so the candidate reader refuses it. */
  private static boolean namesCandidate(byte[] body) {
    try {
      var node = Json.mapper().readTree(body);
      return node != null && !node.isMissingNode() && !(node.isObject() && node.isEmpty());
    } catch (java.io.IOException e) {
      return true;
    }
  }

  private static String quote(String id) {
    String text = id == null ? "" : id;
    return "'" + (text.length() > 100 ? text.substring(0, 100) + "..." : text) + "'";
  }
}
