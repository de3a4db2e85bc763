package dev.gatehouse.server.log;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Outcome;
import java.time.Instant;
import java.util.Objects;

/**
 * One decision as the log keeps it: the indexed fields, plus the request and the answer as the
 * exact JSON text that was decided on and sent.
 *
 * @param decisionId the decision's unique id
 * @param loggedAt when the decision was logged; between the years 1677 and 2262 (stored as epoch
 *     nanoseconds)
 * @param gate the gate asked
 * @param subject the issue asked about
 * @param actor the actor named in the request, or null when it named none
 * @param principal the authenticated caller, or null without authentication
 * @param requestJson the request the engine decided on: the body as sent, or, when the body named no
 *     time (or was not UTF-8), the request as read with the time it was decided at
 * @param policyRevision the revision of the policy set that decided
 * @param workspaceRevision the workspace revision whose facts were used, or null
 * @param outcome ALLOW or DENY
 * @param decisionJson the decision exactly as answered to the client, reasons, checks and trace
 *     included; read back byte for byte
 * @param durationMicros how long the evaluation took
 */
public record LoggedDecision(
    String decisionId,
    Instant loggedAt,
    String gate,
    String subject,
    String actor,
    String principal,
    String requestJson,
    String policyRevision,
    String workspaceRevision,
    Outcome outcome,
    String decisionJson,
    long durationMicros) {

  public LoggedDecision {
    Objects.requireNonNull(decisionId, "decisionId");
    Objects.requireNonNull(loggedAt, "loggedAt");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(requestJson, "requestJson");
    Objects.requireNonNull(policyRevision, "policyRevision");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(decisionJson, "decisionJson");
    // Fails here, in the caller's thread, rather than inside a group commit.
    Rows.epochNanos(loggedAt);
  }

  /**
   * The log entry of a decision answered to a client.
   *
   * @param request the request as read
   * @param requestJson the request body it was read from
   * @param decision the decision
   * @param decisionJson the decision as serialized for the response
   * @param principal the authenticated caller, or null
   * @param loggedAt the time of logging
   */
  public static LoggedDecision of(
      DecisionRequest request,
      String requestJson,
      Decision decision,
      String decisionJson,
      String principal,
      Instant loggedAt) {
    Objects.requireNonNull(decision.policy(), "decision has no policy revision");
    return new LoggedDecision(
        decision.decisionId(),
        loggedAt,
        decision.gate(),
        decision.subject(),
        request.actor(),
        principal,
        requestJson,
        decision.policy().revision(),
        decision.workspace(),
        decision.outcome(),
        decisionJson,
        decision.durationMicros());
  }
}
