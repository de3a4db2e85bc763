package dev.gatehouse.server.http;

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

  /** The answer. */
  record Loaded(String directory, String revision, Map<String, Integer> counts, List<WorkspaceFile> files,
      List<WorkspaceProblem> problems, List<String> workspaceOnly) {}

  /** 200 with the workspace; 404 {@code no-workspace} when the server takes every fact from requests. */
  public void describe(RoutingContext ctx) {
    if (workspace.isEmpty()) {
      ctx.fail(new ApiException(404, "no-workspace", "this server uses no workspace: every fact comes from the request"));
      return;
    }
    WorkspaceWatcher watcher = workspace.get();
    Workspace current = watcher.current();
    List<String> kinds = watcher.workspaceOnly().stream().map(k -> k.jsonName()).sorted().toList();
    JsonBodies.send(ctx, 200, JsonBodies.encode(new Loaded(watcher.directory().toString(), current.revision(),
        current.counts(), current.files(), current.problems(), kinds)));
  }
}
