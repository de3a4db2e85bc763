package dev.gatehouse.server.board;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.PolicyRef;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.Severity;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every issue of a workspace against every gate at one time: a matrix whose rows are issues, whose
 * columns are gates, and whose cells are the decisions on them.
 *
 * @param boardId the id every logged decision of the board names in its principal; null when the
 *     board was not logged
 * @param at the time every cell was decided at
 * @param actor the actor every request named
 * @param policy the policy set every cell was decided with
 * @param workspace the workspace revision every cell was decided with
 * @param gates the columns, in order
 * @param rows one per issue, by id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Board(String boardId, Instant at, String actor, PolicyRef policy, String workspace, List<String> gates,
    List<Row> rows) {

  public Board {
    gates = List.copyOf(gates);
    rows = List.copyOf(rows);
  }

  /**
   * One issue against every gate.
   *
   * @param issue the issue id
   * @param title its title, if it has one
   * @param status its status
   * @param cells the decision of each gate, in the board's gate order
   */
  public record Row(String issue, String title, String status, Map<String, Cell> cells) {

    public Row {
      cells = Collections.unmodifiableMap(new LinkedHashMap<>(cells));
    }
  }

  /**
   * One decision, as the board shows it.
   *
   * @param outcome ALLOW or DENY
   * @param reasons every deny and warning
   * @param remedies the distinct remedies of the deny reasons, in order: the issue's to-do list
   * @param facts where each fact the decision used came from, by ref
   * @param decisionId the logged decision's id; null when the board was not logged
   * @param decision the whole decision (checks, trace, ignored facts) when asked to explain; else null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cell(Outcome outcome, List<Reason> reasons, List<String> remedies, Map<String, String> facts,
      String decisionId, Decision decision) {

    public Cell {
      reasons = List.copyOf(reasons);
      remedies = List.copyOf(remedies);
      facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /** The cell of {@code decision}, naming its id when it was logged and carrying it whole when {@code explain}. */
    static Cell of(Decision decision, boolean logged, boolean explain) {
      List<String> remedies = decision.reasons().stream()
          .filter(r -> r.severity() == Severity.DENY && r.remedy() != null)
          .map(Reason::remedy).distinct().toList();
      return new Cell(decision.outcome(), decision.reasons(), remedies, decision.sources(),
          logged ? decision.decisionId() : null, explain ? decision : null);
    }
  }
}
