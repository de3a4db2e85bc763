package dev.gatehouse.server.decide;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.json.InvalidInputException;
import dev.gatehouse.model.json.Json;
import dev.gatehouse.model.json.RequestReader;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.workspace.Caller;
import dev.gatehouse.rules.workspace.FactsNotPermittedException;
import dev.gatehouse.rules.workspace.RequestFacts;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.server.log.DecisionLog;
import dev.gatehouse.server.log.LoggedDecision;
import dev.gatehouse.server.log.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The one way a request becomes an answer, for the HTTP API, {@code eval}, replay and the console:
 * the request is read, its time fixed, the workspace's facts merged in, the active policy set asked,
 * the decision encoded and — when there is a log — logged before the answer is given. Knows nothing
 * of HTTP: callers turn {@link Answer}s and exceptions into their own responses.
 *
 * <p>Invariant: an answer completes only once its decision is in the log (when there is one); a
 * decision the log refused is never answered, so no answered decision is missing from the log.
 */
public final class DecisionService {

  /**
   * A decision and its JSON, as the API answers it.
   *
   * @param decision the decision
   * @param json its encoding, the body of the answer
   */
  public record Answer(Decision decision, byte[] json) {}

  /**
   * The active policy set and workspace, taken together: every decision made on one basis sees the
   * same revision of each, however long a batch of them (a board) takes.
   *
   * @param policies the policy set
   * @param workspace the workspace, or null when every fact comes from requests
   */
  public record Basis(PolicySet policies, Workspace workspace) {

    /** The decision on {@code asked}, as {@link DecisionService#evaluate} makes it. */
    public Decision evaluate(DecisionRequest asked, Caller caller) throws FactsNotPermittedException, InvalidInputException {
      return RequestFacts.decide(policies, asked, workspace, caller);
    }
  }

  /**
   * A request read from its body and not decided yet.
   *
   * @param request the request as read; its time is fixed when it is decided, if it names none
   * @param verbatim the body, logged as sent; null when the request as read is logged instead
   */
  public record Read(DecisionRequest request, byte[] verbatim) {}

  private final Supplier<Optional<PolicySet>> policies;
  private final Supplier<Workspace> workspace;
  private final Optional<DecisionLog> log;
  private final Clock clock;
  private final RequestReader reader = new RequestReader();

  /**
   * @param policies the active policy set, when one has compiled
   * @param workspace the workspace decisions merge facts from; returns null when there is none
   * @param log where decisions are logged before they are answered, if anywhere
   * @param clock fixes the time of a request that names none
   */
  public DecisionService(Supplier<Optional<PolicySet>> policies, Supplier<Workspace> workspace,
      Optional<DecisionLog> log, Clock clock) {
    this.policies = policies;
    this.workspace = workspace;
    this.log = log;
    this.clock = clock;
  }

  /** Whether there is a policy set to decide with. */
  public boolean ready() {
    return policies.get().isPresent();
  }

  /**
   * Decides the request in {@code body} for {@code caller}. The answer completes once logged, on
   * {@code completion}; it fails with {@link InvalidInputException} for a bad request, {@link
   * FactsNotPermittedException} for facts the caller may not bring, {@link
   * PoliciesUnavailableException}, or the log's refusal — never with an allow.
   */
  public CompletableFuture<Answer> decide(byte[] body, Caller caller, Executor completion) {
    Read read;
    try {
      read = read(body);
    } catch (InvalidInputException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return decide(read.request(), read.verbatim(), caller, completion, null);
  }

  /**
   * Reads the request in {@code body}, to decide it later with {@link #decide(Basis, Read, Caller,
   * Executor)}: for a caller that needs the gate before it decides where to decide.
   *
   * @throws InvalidInputException naming the JSON path of what is wrong with the request
   */
  public Read read(byte[] body) throws InvalidInputException {
    DecisionRequest asked = reader.readRequest(body);
    // The body as sent is logged when it names its time and is UTF-8 JSON (which starts with '{'
    // and holds no NUL; UTF-16 and UTF-32, which Jackson reads too, do); else the request as read.
    boolean verbatim = asked.at() != null && body.length > 1 && body[0] == '{' && body[1] != 0;
    return new Read(asked, verbatim ? body : null);
  }

  /**
   * Decides a request {@link #read} from its body on {@code basis} (from {@link #basis()}), as
   * {@link #decide(byte[], Caller, Executor)} does.
   */
  public CompletableFuture<Answer> decide(Basis basis, Read read, Caller caller, Executor completion) {
    return decide(read.request(), read.verbatim(), caller, completion, basis);
  }

  /** Decides {@code asked} for {@code caller}, as {@link #decide(byte[], Caller, Executor)} does. */
  public CompletableFuture<Answer> decide(DecisionRequest asked, Caller caller, Executor completion) {
    return decide(asked, null, caller, completion, null);
  }

  /**
   * Decides {@code asked} for {@code caller} on {@code basis} (from {@link #basis()}), logged as
   * {@link #decide(byte[], Caller, Executor)} does: for decisions that must share one revision.
   */
  public CompletableFuture<Answer> decide(Basis basis, DecisionRequest asked, Caller caller, Executor completion) {
    return decide(asked, null, caller, completion, basis);
  }

  private CompletableFuture<Answer> decide(DecisionRequest request, byte[] verbatim, Caller caller, Executor completion,
      Basis given) {
    try {
      // Fixed here so that the logged request replays at the time it was decided.
      DecisionRequest asked = request.at() == null ? request.withAt(clock.instant()) : request;
      Basis basis = given != null ? given : basis();
      Decision decision = basis.evaluate(asked, caller);
      byte[] json = Json.mapper().writeValueAsBytes(decision);
      Answer answer = new Answer(decision, json);
      if (log.isEmpty()) {
        return CompletableFuture.completedFuture(answer);
      }
      LoggedDecision entry = LoggedDecision.of(asked,
          new String(verbatim != null ? verbatim : Json.writeRequest(asked), StandardCharsets.UTF_8),
          decision, new String(json, StandardCharsets.UTF_8), caller.name(), clock.instant());
      // A decision the log refused is never answered; its refusal is passed on as it is (not
      // wrapped), so that callers can tell log-unavailable from an error of their own.
      CompletableFuture<Answer> answered = new CompletableFuture<>();
      log.get().append(entry, snapshots(basis.policies(), decision.workspace() == null ? null : basis.workspace()), completion).whenComplete((committed, refused) -> {
        if (refused == null) {
          answered.complete(answer);
        } else {
          answered.completeExceptionally(refused);
        }
      });
      return answered;
    } catch (InvalidInputException | FactsNotPermittedException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new UncheckedIOException(e));
    }
  }

  /**
   * What the decision was made from beyond its request: the policy set's files, and the
   * workspace's when its facts were used (a decision made from request facts alone has them in its
   * logged request). Handed over by reference on every decision; the log writes each revision once.
   */
  private static List<Snapshot> snapshots(PolicySet set, Workspace used) {
    Snapshot policy = new Snapshot(Snapshot.Kind.POLICY, set.revision(), set.files().files());
    return used == null ? List.of(policy)
        : List.of(policy, new Snapshot(Snapshot.Kind.WORKSPACE, used.revision(), used.contents()));
  }

  /**
   * The decision on {@code asked} (its time already fixed) for {@code caller}, with the active set
   * and the workspace, neither encoded nor logged: what a replay or a preview needs.
   *
   * @throws FactsNotPermittedException when the request carries facts {@code caller} may not bring
   * @throws InvalidInputException when the request's facts clash with the workspace's
   */
  public Decision evaluate(DecisionRequest asked, Caller caller) throws FactsNotPermittedException, InvalidInputException {
    return basis().evaluate(asked, caller);
  }

  /**
   * The active policy set and workspace, to decide several requests with the same revisions.
   *
   * @throws PoliciesUnavailableException when no policy set has compiled
   */
  public Basis basis() {
    return new Basis(policies.get().orElseThrow(PoliciesUnavailableException::new), workspace.get());
  }

  /** The time a request that names none is decided at. */
  public Instant now() {
    return clock.instant();
  }
}
