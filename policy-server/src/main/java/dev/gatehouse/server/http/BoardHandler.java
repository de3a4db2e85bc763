package dev.gatehouse.server.http;

import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.server.board.Board;
import dev.gatehouse.server.board.BoardQuery;
import dev.gatehouse.server.board.Boards;
import dev.gatehouse.server.config.Role;
import dev.gatehouse.server.watch.WorkspaceWatcher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@code GET /v1/board}: every issue of the workspace against every gate, decided as {@code POST
 * /v1/decisions} decides; logged only with {@code log=true}, which also needs the decide role.
 */
public final class BoardHandler {

  // Any other parameter is refused, so a misspelt filter never silently shows the whole board.
  private static final Set<String> PARAMETERS = Set.of("at", "actor", "gate", "issue", "explain", "log");

  private final Boards boards;
  private final Optional<WorkspaceWatcher> workspace;

  /** Boards drawn by {@code boards} over the server's {@code workspace}, if it has one. */
  public BoardHandler(Boards boards, Optional<WorkspaceWatcher> workspace) {
    this.boards = boards;
    this.workspace = workspace;
  }

  /** {@code GET /v1/board} for the requests of one event loop (see {@link DecisionsHandler#on}). */
  public Handler<RoutingContext> on(Context eventLoop) {
    Executor executor = task -> eventLoop.runOnContext(ignored -> task.run());
    return ctx -> board(ctx, eventLoop, executor);
  }

  private void board(RoutingContext ctx, Context eventLoop, Executor executor) {
    if (workspace.isEmpty()) {
      ctx.fail(new ApiException(404, "no-workspace", "this server uses no workspace, so it has no issues to show"));
      return;
    }
    BoardQuery query;
    boolean log;
    try {
      query = query(ctx);
      log = flag(ctx, "log");
    } catch (InvalidInputException e) {
      ctx.fail(e);
      return;
    }
    Principal principal = Principal.of(ctx);
    if (log && !principal.has(Role.DECIDE)) {
      ctx.fail(new ApiException(403, "forbidden", "logging a board's decisions needs the decide role"));
      return;
    }
    // A board of a large workspace encodes to megabytes: encoded off the event loop, like the
    // decisions, except a logged one, which completes on the event loop once the log has it.
    ctx.vertx().executeBlocking(() -> log
            ? boards.drawLogged(query, principal.caller(), executor).thenApply(JsonBodies::encode)
            : CompletableFuture.completedFuture(JsonBodies.encode(boards.draw(query, principal.caller()))), false)
        .compose(pending -> Future.fromCompletionStage(pending, eventLoop))
        .onComplete(outcome -> {
          if (outcome.succeeded()) {
            JsonBodies.send(ctx, 200, outcome.result());
          } else {
            Throwable cause = outcome.cause();
            ctx.fail(cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause);
          }
        });
  }

  private static BoardQuery query(RoutingContext ctx) throws InvalidInputException {
    for (String name : ctx.queryParams().names()) {
      if (!PARAMETERS.contains(name)) {
        throw new InvalidInputException(name, "unknown query parameter '" + name + "'; expected one of "
            + String.join(", ", new TreeSet<>(PARAMETERS)));
      }
    }
    String at = text(ctx, "at");
    Instant time = at == null ? null : RequestReader.parseInstant("at", at);
    List<String> gates = new ArrayList<>();
    for (String value : ctx.queryParams().getAll("gate")) {
      for (String gate : value.split(",")) {
        if (!gate.isBlank()) {
          gates.add(gate.strip());
        }
      }
    }
    return new BoardQuery(time, text(ctx, "actor"), gates, text(ctx, "issue"), flag(ctx, "explain"));
  }

  private static boolean flag(RoutingContext ctx, String name) throws InvalidInputException {
    String value = text(ctx, name);
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true")) {
      return true;
    }
    throw new InvalidInputException(name, "'" + value + "' is not true or false");
  }

  private static String text(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }
}
