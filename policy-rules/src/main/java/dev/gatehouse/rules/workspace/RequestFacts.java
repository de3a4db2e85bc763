package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.Admission;
import dev.gatehouse.model.Contract;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Evidence;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Ignored;
import dev.gatehouse.model.Issue;
import dev.gatehouse.model.Request;
import dev.gatehouse.model.Spelling;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Location;
import dev.gatehouse.rules.PolicySet;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who may bring which facts into a decision, and where each fact a decision used came from.
 *
 * <p>While a workspace is in use, governance facts come from it: a request may carry facts only of
 * the kinds its caller is granted ({@code supplies} per token; nothing without tokens), so a
 * caller cannot bring the approval, acceptance or made-up blocker that opens a gate. Without a
 * workspace every fact comes from the request. Either way the facts a request brought name their
 * caller as their source.
 */
public final class RequestFacts {

  // Compared loosely (as Spelling.same does: by their letters), so that no spelling (case, '_', spaces,
  // invisible characters) of these kinds gets past.
  private static final Set<String> OPERATOR_RECORDS = Set.of(
      Spelling.letters("operator-acceptance"), Spelling.letters("operator-rejection"), Spelling.letters("health-check"));

  private RequestFacts() {}

  private static boolean operatorRecord(Evidence evidence) {
    return evidence.kind() != null && OPERATOR_RECORDS.contains(Spelling.letters(evidence.kind()));
  }

  /**
   * The request with its facts attributed to {@code caller} and, when there is a workspace, the
   * workspace's facts added.
   *
   * @throws FactsNotPermittedException naming the JSON path of a fact of a kind {@code caller} may
   *     not supply while {@code workspace} is in use
   * @throws InvalidInputException naming the JSON path of a request fact whose ref the workspace
   *     already holds
   */
  public static DecisionRequest merge(DecisionRequest request, Workspace workspace, Caller caller)
      throws FactsNotPermittedException, InvalidInputException {
    Facts brought = own(request, workspace, caller).facts();
    return request.withFacts(workspace == null ? brought : workspace.facts().plus(brought));
  }

  /**
   * The request with only the facts it brought, attributed to {@code caller}, checked as {@link
   * #merge} checks them.
   */
  private static DecisionRequest own(DecisionRequest request, Workspace workspace, Caller caller)
      throws FactsNotPermittedException, InvalidInputException {
    if (request.facts().size() == 0) {
      return request;
    }
    List<Fact> given = new ArrayList<>(request.facts().size());
    for (FactKind kind : FactKind.values()) {
      List<? extends Fact> facts = kind.in(request.facts());
      for (int i = 0; i < facts.size(); i++) {
        Location at = Location.of("facts").field(kind.jsonName()).index(i);
        if (workspace != null && !caller.supplies().contains(kind)) {
          throw new FactsNotPermittedException(at, kind.jsonName() + " come from the workspace: principal '"
              + caller.name() + "' may not supply them" + (caller.supplies().isEmpty() ? " (it supplies no facts)"
              : " (it supplies " + String.join(", ", caller.supplies().stream().map(FactKind::jsonName).sorted().toList()) + ")"));
        }
        if (workspace != null && facts.get(i) instanceof Evidence evidence && operatorRecord(evidence)) {
          // An operator's acceptance or rejection and a health check are verdicts on the change, not
          // what a run produced: brought by the caller they would let a harness approve itself.
          throw new FactsNotPermittedException(at.field("kind"), "evidence of kind '" + evidence.kind()
              + "' records an operator's or a health check's verdict: it comes from the workspace, never from a request");
        }
        Optional<String> source = workspace == null ? Optional.empty() : workspace.sourceOf(facts.get(i).ref());
        if (source.isPresent()) {
          throw new InvalidInputException(at,
              "ref '" + facts.get(i).ref() + "' is already in the workspace (" + source.get() + ")");
        }
        given.add(facts.get(i).withSource(caller.source()));
      }
    }
    return request.withFacts(Facts.of(given));
  }

  /**
   * Decides {@code asked} with {@code policySet} for {@code caller}, with the facts of {@code
   * workspace} merged in when there is one (null: every fact comes from the request). The decision
   * names the workspace revision next to the policy revision, the source of every fact it used, and
   * of the facts set aside as of {@code at} those about its subject.
   *
   * @throws FactsNotPermittedException as {@link #merge} does
   * @throws InvalidInputException as {@link #merge} does
   */
  public static Decision decide(PolicySet policySet, DecisionRequest asked, Workspace workspace, Caller caller)
      throws FactsNotPermittedException, InvalidInputException {
    DecisionRequest own = own(asked, workspace, caller);
    // With a workspace its facts stand behind the request's own: the set may keep them resident.
    Decision decision = workspace == null ? policySet.evaluate(own) : policySet.evaluate(own, workspace.standing());
    Map<String, Fact> about = aboutSubject(asked.subject(), workspace, own.facts());
    List<Ignored> ignored = decision.ignored().isEmpty() ? List.of()
        : decision.ignored().stream().filter(i -> about.containsKey(i.ref())).toList();
    // One new decision with its provenance and workspace revision (each copy costs a map of sources).
    return new Decision(decision.decisionId(), decision.gate(), decision.subject(), decision.at(), decision.outcome(),
        decision.reasons(), decision.checks(), decision.trace(), sources(decision, Request.of(own), caller, about),
        ignored, decision.policy(), workspace == null ? decision.workspace() : workspace.revision(),
        decision.durationMicros());
  }

  /**
   * Where each fact the decision used came from: the request itself, every fact about the subject
   * (see {@link #aboutSubject}) and every fact the rules matched, but not those set aside as of
   * {@code at}. So an ALLOW names its facts as a DENY does.
   */
  private static Map<String, String> sources(Decision decision, Request question, Caller caller,
      Map<String, Fact> about) {
    Map<String, String> sources = new TreeMap<>(decision.sources());
    sources.put(question.ref(), caller.source());
    Set<String> ignored = decision.ignored().isEmpty() ? Set.of() : new HashSet<>();
    decision.ignored().forEach(i -> ignored.add(i.ref()));
    about.forEach((ref, fact) -> {
      // A fact set aside before the rules ran was not used: the decision lists it under ignored.
      if (!ignored.contains(ref)) {
        sources.put(ref, fact.source());
      }
    });
    return sources;
  }

  /**
   * The facts about the subject, by ref: the issue and its blockers, the facts about any of them,
   * and the admissions of the subject's contracts' repositories, among the workspace's facts (null:
   * none) and the request's {@code own}. What a reviewer needs to see of a decision's world, and no
   * more: a decision's {@code ignored} names only these too. The workspace's part is computed once
   * per subject ({@link Workspace#surroundings}), as every decision with it asks.
   */
  private static Map<String, Fact> aboutSubject(String subject, Workspace workspace, Facts own) {
    Workspace.Surroundings around = workspace == null ? null : workspace.surroundings(subject);
    if (own.size() == 0 && around != null) {
      return around.facts();
    }
    Set<String> issues = new HashSet<>();
    issues.add(subject);
    Set<String> repositories = new HashSet<>();
    if (around != null) {
      issues.addAll(around.issues());
      repositories.addAll(around.repositories());
    }
    // The request's own issue and contracts of the subject can name more blockers and repositories.
    for (Issue issue : own.issues()) {
      if (issue.id().equals(subject)) {
        issues.addAll(issue.blockedBy());
      }
    }
    for (Contract contract : own.contracts()) {
      if (subject.equals(contract.issue())) {
        repositories.add(contract.repository());
      }
    }
    Map<String, Fact> about = new TreeMap<>();
    if (around != null) {
      about.putAll(around.facts());
      for (String issue : issues) {
        if (!around.issues().contains(issue)) {
          workspace.factsAbout(issue).forEach(fact -> about.put(fact.ref(), fact));
        }
      }
      for (String repository : repositories) {
        if (!around.repositories().contains(repository)) {
          workspace.admissionsOf(repository).forEach(admission -> about.put(admission.ref(), admission));
        }
      }
    }
    // The request's own facts after the workspace's, as in the merged request: one of them wins a ref.
    for (FactKind kind : FactKind.values()) {
      for (Fact fact : kind.in(own)) {
        boolean related = fact instanceof Admission admission
            ? repositories.contains(admission.repository())
            : kind.issue(fact).filter(issues::contains).isPresent();
        if (related) {
          about.put(fact.ref(), fact);
        }
      }
    }
    return about;
  }

  /** Parses a comma list of fact kinds such as {@code runs,evidence}; {@code none} for none. */
  public static Set<FactKind> parseKinds(String text) throws InvalidInputException {
    if (text == null || text.isBlank() || text.strip().equals("none")) {
      return Set.of();
    }
    EnumSet<FactKind> kinds = EnumSet.noneOf(FactKind.class);
    for (String name : text.split(",")) {
      kinds.add(FactKind.byJsonName(name.strip()).orElseThrow(() -> new InvalidInputException("",
          "unknown fact kind '" + name.strip() + "'; expected issues, admissions, contracts, approvals, evidence or runs")));
    }
    return kinds;
  }
}
