package dev.gatehouse.server.board;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Issue;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.rules.DecisionIds;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.rules.workspace.FactsNotPermittedException;
import dev.gatehouse.server.decide.DecisionService;
import dev.gatehouse.server.decide.DecisionService.Answer;
import dev.gatehouse.server.decide.DecisionService.Basis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Draws boards with a {@link DecisionService}: each cell is the decision on a request naming the
 * gate, the issue, the time and the actor and carrying no facts, made exactly as {@code POST
 * /v1/decisions} makes it (the workspace's facts, the caller's trust, {@code ignored}). All cells of
 * a board are decided on one {@link Basis}, so a reload half-way never mixes two revisions.
 */
public final class Boards {

  private final DecisionService decisions;

  /** Boards decided by {@code decisions}. */
  public Boards(DecisionService decisions) {
    this.decisions = decisions;
  }

  /** The rows and columns of a board, and the time it is decided at. */
  private record Layout(Basis basis, Instant at, List<String> gates, List<Issue> issues) {}

  /**
   * The board for {@code query}, decided for {@code caller} and logged nowhere.
   *
   * @throws InvalidInputException when the query names a gate the policy set does not declare or an
   *     issue the workspace does not hold (the path is the query parameter)
   */
  public Board draw(BoardQuery query, Caller caller) throws InvalidInputException {
    Layout layout = layout(query);
    // Cells are independent decisions: spread over the cores, collected in row order.
    List<Decision> cells = requests(query, layout).parallelStream().map(asked -> {
      try {
        return layout.basis().evaluate(asked, caller);
      } catch (FactsNotPermittedException | InvalidInputException e) {
        throw new IllegalStateException("a board's request carries no facts, yet they were refused", e);
      }
    }).toList();
    return assemble(null, query, layout, cells);
  }

  /**
   * The board for {@code query}, each cell decided and logged as {@code POST /v1/decisions} would be,
   * with the board's id in the logged principal ({@code NAME (board ID)}) to link them. Completes on
   * {@code completion} once every decision is in the log; fails as a single decision would if the
   * log refused any of them.
   */
  public CompletableFuture<Board> drawLogged(BoardQuery query, Caller caller, Executor completion) {
    Layout layout;
    try {
      layout = layout(query);
    } catch (InvalidInputException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    String boardId = DecisionIds.next();
    Caller named = new Caller(caller.name() + " (board " + boardId + ")", caller.supplies());
    List<CompletableFuture<Answer>> answers = requests(query, layout).stream()
        .map(asked -> decisions.decide(layout.basis(), asked, named, completion)).toList();
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(all ->
        assemble(boardId, query, layout, answers.stream().map(a -> a.join().decision()).toList()));
  }

  private Layout layout(BoardQuery query) throws InvalidInputException {
    Basis basis = decisions.basis();
    List<String> declared = List.copyOf(basis.policies().gates());
    for (String gate : query.gates()) {
      if (!declared.contains(gate)) {
        throw new InvalidInputException("gate", "no policy declares gate '" + gate + "'; declared gates: "
            + String.join(", ", declared));
      }
    }
    List<String> gates = query.gates().isEmpty() ? declared : declared.stream().filter(query.gates()::contains).toList();
    List<Issue> issues = basis.workspace() == null ? List.of() : basis.workspace().facts().issues().stream()
        .filter(i -> query.issue() == null || i.id().equals(query.issue()))
        .sorted(Comparator.comparing(Issue::id)).toList();
    if (query.issue() != null && issues.isEmpty()) {
      throw new InvalidInputException("issue", "no issue '" + query.issue() + "' in the workspace");
    }
    return new Layout(basis, query.at() != null ? query.at() : decisions.now(), gates, issues);
  }

  /** One request per cell, row by row. */
  private static List<DecisionRequest> requests(BoardQuery query, Layout layout) {
    List<DecisionRequest> requests = new ArrayList<>(layout.issues().size() * layout.gates().size());
    for (Issue issue : layout.issues()) {
      for (String gate : layout.gates()) {
        requests.add(new DecisionRequest(gate, issue.id(), layout.at(), query.actor(), false, Facts.EMPTY));
      }
    }
    return requests;
  }

  /** The board of {@code cells}, decided row by row as {@link #requests} asked them. */
  private static Board assemble(String boardId, BoardQuery query, Layout layout, List<Decision> cells) {
    Iterator<Decision> next = cells.iterator();
    List<Board.Row> rows = new ArrayList<>(layout.issues().size());
    for (Issue issue : layout.issues()) {
      Map<String, Board.Cell> row = new LinkedHashMap<>();
      for (String gate : layout.gates()) {
        row.put(gate, Board.Cell.of(next.next(), boardId != null, query.explain()));
      }
      rows.add(new Board.Row(issue.id(), issue.title(), issue.status(), row));
    }
    Basis basis = layout.basis();
    return new Board(boardId, layout.at(), query.actor(), basis.policies().ref(),
        basis.workspace() == null ? null : basis.workspace().revision(), layout.gates(), rows);
  }
}
