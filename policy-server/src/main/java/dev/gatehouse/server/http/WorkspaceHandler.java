package dev.gatehouse.server.http;

import dev.gatehouse.rules.functions.Contracts;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceFile;
import dev.gatehouse.rules.workspace.WorkspaceProblem;
import dev.gatehouse.server.watch.WorkspaceWatcher;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /v1/workspace}: the loaded workspace, its files, fact counts and problems. */
public final class WorkspaceHandler {

  private final Optional<WorkspaceWatcher> workspace;

  /** The workspace of the server, if it has one. */
  public WorkspaceHandler(Optional<WorkspaceWatcher> workspace) {
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
      ctx.fail(new ApiException(404, "no-workspace", "this server uses no workspace: every fact comes from the request"));
      return;
    }
    WorkspaceWatcher watcher = workspace.get();
    Workspace current = watcher.current();
    List<ContractDigest> contracts = current.facts().contracts().stream()
        .map(c -> new ContractDigest(c.ref(), c.source(), Contracts.digest(c))).toList();
    JsonBodies.send(ctx, 200, JsonBodies.encode(new Loaded(watcher.directory().toString(), current.revision(),
        current.counts(), current.files(), current.problems(), contracts)));
  }
}
