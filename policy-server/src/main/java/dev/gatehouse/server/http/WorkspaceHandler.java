package dev.gatehouse.server.http;

import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.functions.Contracts;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceAudit;
import dev.gatehouse.rules.workspace.WorkspaceFile;
import dev.gatehouse.rules.workspace.WorkspaceProblem;
import dev.gatehouse.server.decide.PoliciesUnavailableException;
import dev.gatehouse.server.watch.WorkspaceWatcher;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/workspace}: the loaded workspace, its files, fact counts and problems; {@code GET
 * /v1/workspace/audit}: the recorded statuses its gates contradict.
 */
public final class WorkspaceHandler {

  private final PolicyEngine engine;
  private final Optional<WorkspaceWatcher> workspace;

  /** The workspace of the server, if it has one, audited with {@code engine}'s active set. */
  public WorkspaceHandler(PolicyEngine engine, Optional<WorkspaceWatcher> workspace) {
    this.engine = engine;
    this.workspace = workspace;
  }

  /**
   * The answer.
   *
   * @param contracts each contract's ref and digest: an approval names the digest of the contract
   *     it approves ({@code contractDigest}), and is stale once the contract changes
   */
  record Loaded(String directory, String revision, Map<String, Integer> counts, List<WorkspaceFile> files,
      List<WorkspaceProblem> problems, List<ContractDigest> contracts) {}

  /** A contract's ref, its file and line, and its digest. */
  record ContractDigest(String ref, String source, String digest) {}

  /** 200 with the workspace; 404 {@code no-workspace} when the server takes every fact from requests. */
  public void describe(RoutingContext ctx) {
    if (workspace.isEmpty()) {
      ctx.fail(noWorkspace());
      return;
    }
    WorkspaceWatcher watcher = workspace.get();
    Workspace current = watcher.current();
    List<ContractDigest> contracts = current.facts().contracts().stream()
        .map(c -> new ContractDigest(c.ref(), c.source(), Contracts.digest(c))).toList();
    JsonBodies.send(ctx, 200, JsonBodies.encode(new Loaded(watcher.directory().toString(), current.revision(),
        current.counts(), current.files(), current.problems(), contracts)));
  }

  /**
   * 200 with the audit of the current workspace by the active set at {@code ?at=} (default now):
   * its problems, and each recorded status a gate contradicts. 400 for an {@code at} that is no
   * timestamp, 404 {@code no-workspace}, 503 {@code policies-unavailable}. Nothing is logged.
   */
  public void audit(RoutingContext ctx) {
    if (workspace.isEmpty()) {
      ctx.fail(noWorkspace());
      return;
    }
    Optional<PolicySet> set = engine.active();
    if (set.isEmpty()) {
      ctx.fail(new PoliciesUnavailableException());
      return;
    }
    String asked = ctx.queryParams().get("at");
    Instant at;
    try {
      at = asked == null ? Instant.now() : RequestReader.parseInstant("at", asked);
    } catch (InvalidInputException e) {
      ctx.fail(e);
      return;
    }
    Workspace current = workspace.get().current();
    // One decision per issue that claims a status: off the event loop, like any decision.
    ctx.vertx().executeBlocking(() -> JsonBodies.encode(WorkspaceAudit.of(set.get(), current, at)), false)
        .onSuccess(json -> JsonBodies.send(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  private static ApiException noWorkspace() {
    return new ApiException(404, "no-workspace", "this server uses no workspace: every fact comes from the request");
  }
}
