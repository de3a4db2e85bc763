package dev.gatehouse.server.http;

import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.PolicyEngine;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.server.log.PolicyActivations;
import dev.gatehouse.server.log.PolicyActivations.Activation;
import dev.gatehouse.server.log.Snapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/policies/activate}: a candidate set, checked by compiling it here, stored as a
 * revision in the database replicas share and made every replica's active set (each hears of it
 * and switches within about two seconds; see {@code ActivationWatcher}). Only where the log is on
 * PostgreSQL: a server that decides with its policy directory activates by the directory's files.
 */
public final class ActivationHandler {

  /** How long the answer waits for this replica to decide with the activated set. */
  static final long SERVING_WAIT_MILLIS = 5_000;

  private static final long SERVING_POLL_MILLIS = 20;

  private final PolicyEngine engine;
  private final CandidateCompiles compiles;
  private final Optional<PolicyActivations> activations;

  /** Activations into {@code activations}, when the server shares its policy set; compiled on {@code compiles}. */
  public ActivationHandler(PolicyEngine engine, CandidateCompiles compiles, Optional<PolicyActivations> activations) {
    this.engine = engine;
    this.compiles = compiles;
    this.activations = activations;
  }

  /**
   * The answer: the activation, and whether this replica decides with it yet ({@code serving};
   * false when it did not within {@value #SERVING_WAIT_MILLIS} ms, or could not compile it: then
   * {@code GET /health/ready} says why).
   */
  record Activated(String revision, long activation, String activatedBy, String activatedAt, boolean serving,
      List<PoliciesHandler.Issue> issues) {}

  /**
   * 200 once stored; 400 {@code invalid-request} or {@code policy-compile-error} (nothing stored),
   * 409 {@code activation-unavailable} on a server that decides with its policy directory, 503
   * {@code log-unavailable} when the database cannot be reached, {@code compile-busy}.
   */
  public void activate(RoutingContext ctx) {
    if (activations.isEmpty()) {
      ctx.fail(new ApiException(409, "activation-unavailable", "this server decides with the policy set in its policy"
          + " directory, which activates by its files; activating through the API needs the log and policy set on"
          + " PostgreSQL (log.store: postgresql)"));
      return;
    }
    byte[] body = JsonBodies.body(ctx);
    String by = Principal.of(ctx).name();
    compiles.submit(ctx, () -> store(PoliciesHandler.readCandidate(body), by))
        .compose(stored -> serving(ctx.vertx(), stored.activation().revision()).map(serving -> new Activated(
            stored.activation().revision(), stored.activation().id(), stored.activation().activatedBy(),
            stored.activation().activatedAt().toString(), serving, PoliciesHandler.Issue.of(stored.issues()))))
        .onSuccess(answer -> JsonBodies.send(ctx, 200, JsonBodies.encode(answer)))
        .onFailure(ctx::fail);
  }

  private record Stored(Activation activation, List<CompileIssue> issues) {}

  /** Compiles the candidate; stores and announces it only if it compiled. Runs on a compile thread. */
  private Stored store(PolicyFiles files, String by) {
    CompileResult result = engine.compileCandidate(files);
    if (!result.succeeded()) {
      List<CompileIssue> errors = result.errors();
      String first = errors.isEmpty() ? "compile failed" : errors.get(0).describe();
      throw new ApiException(400, "policy-compile-error", "the policy set does not compile, nothing was activated: "
          + first + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more: POST /v1/policies/check lists them)" : ""));
    }
    try {
      Activation activation = activations.get().activate(
          new Snapshot(Snapshot.Kind.POLICY, files.revision(), files.files()), by);
      return new Stored(activation, result.issues());
    } catch (SQLException e) {
      throw activations.get().unreachable("activate the policy set", e);
    }
  }

  /** Whether this replica decides with {@code revision} within the wait, polled on timers (no thread held). */
  private Future<Boolean> serving(Vertx vertx, String revision) {
    Promise<Boolean> done = Promise.promise();
    long deadline = System.nanoTime() + SERVING_WAIT_MILLIS * 1_000_000;
    poll(vertx, revision, deadline, done);
    return done.future();
  }

  private void poll(Vertx vertx, String revision, long deadline, Promise<Boolean> done) {
    if (engine.active().map(PolicySet::revision).filter(revision::equals).isPresent()) {
      done.complete(true);
    } else if (engine.lastReloadFailure().filter(f -> revision.equals(f.revision())).isPresent()
        || System.nanoTime() - deadline > 0) {
      done.complete(false);
    } else {
      vertx.setTimer(SERVING_POLL_MILLIS, id -> poll(vertx, revision, deadline, done));
    }
  }
}
