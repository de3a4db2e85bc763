package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.rules.PolicySet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Merges a request's facts with a workspace's. While a workspace is in use, some fact kinds may
 * come only from it (by default approvals): a request carrying one is refused, so a caller cannot
 * smuggle in the approval that opens a gate.
 */
public final class RequestFacts {

  /** The kinds a request may not carry while a workspace is in use, unless configured otherwise. */
  public static final Set<FactKind> DEFAULT_WORKSPACE_ONLY = Set.of(FactKind.APPROVALS);

  private RequestFacts() {}

  /**
   * The request with the workspace's facts added.
   *
   * @throws InvalidInputException naming the JSON path of a fact of a workspace-only kind, or of a
   *     request fact whose ref the workspace already holds
   */
  public static DecisionRequest merge(DecisionRequest request, Workspace workspace, Set<FactKind> workspaceOnly)
      throws InvalidInputException {
    for (FactKind kind : FactKind.values()) {
      List<? extends Fact> given = request.facts().ofKind(kind);
      for (int i = 0; i < given.size(); i++) {
        String path = "facts." + kind.jsonName() + "[" + i + "]";
        if (workspaceOnly.contains(kind)) {
          throw new InvalidInputException(path,
              kind.jsonName() + " come only from the workspace; a request may not carry them");
        }
        Optional<String> source = workspace.sourceOf(given.get(i).ref());
        if (source.isPresent()) {
          throw new InvalidInputException(path,
              "ref '" + given.get(i).ref() + "' is already in the workspace (" + source.get() + ")");
        }
      }
    }
    return request.withFacts(workspace.facts().plus(request.facts()));
  }

  /**
   * Decides {@code asked} with {@code policySet}, with the facts of {@code workspace} merged in when
   * there is one (null: every fact comes from the request); the decision then names the workspace
   * revision next to the policy revision, so a replay can tell which facts were used.
   *
   * @throws InvalidInputException as {@link #merge} does
   */
  public static Decision decide(
      PolicySet policySet, DecisionRequest asked, Workspace workspace, Set<FactKind> workspaceOnly)
      throws InvalidInputException {
    if (workspace == null) {
      return policySet.evaluate(asked);
    }
    Decision decision = policySet.evaluate(merge(asked, workspace, workspaceOnly));
    return decision.identified(decision.decisionId(), workspace.revision());
  }

  /** Parses a comma list of fact kinds such as {@code approvals,admissions}; {@code none} for none. */
  public static Set<FactKind> parseKinds(String text) throws InvalidInputException {
    if (text == null || text.isBlank() || text.strip().equals("none")) {
      return Set.of();
    }
    java.util.EnumSet<FactKind> kinds = java.util.EnumSet.noneOf(FactKind.class);
    for (String name : text.split(",")) {
      kinds.add(FactKind.byJsonName(name.strip()).orElseThrow(() -> new InvalidInputException("",
          "unknown fact kind '" + name.strip() + "'; expected issues, admissions, contracts, approvals, evidence or runs")));
    }
    return kinds;
  }
}
