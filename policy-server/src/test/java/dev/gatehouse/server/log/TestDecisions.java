package dev.gatehouse.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gatehouse.model.Check;
import dev.gatehouse.model.CheckStatus;
import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.PolicyRef;
import dev.gatehouse.model.Reason;
import dev.gatehouse.model.Severity;
import dev.gatehouse.model.TraceStep;
import dev.gatehouse.model.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/** Decisions shaped like the engine's, serialized with the shared mapper, for the log tests. */
public final class TestDecisions {

  static final Instant AT = Instant.parse("2026-06-02T10:00:00Z");

  private TestDecisions() {}

  static LoggedDecision logged(String id, String gate, String subject, Outcome outcome, Instant loggedAt) {
    return logged(id, gate, subject, outcome, loggedAt, "");
  }

  /** A logged decision whose answer carries {@code padding} in a reason message, to make it large. */
  static LoggedDecision logged(
      String id, String gate, String subject, Outcome outcome, Instant loggedAt, String padding) {
    DecisionRequest request = new DecisionRequest(gate, subject, AT, "cto-harness", false, Facts.EMPTY);
    List<Reason> reasons =
        outcome == Outcome.DENY
            ? List.of(new Reason("approval-missing", Severity.DENY,
                subject + " has no approval by JP recorded before " + AT + padding,
                "execution needs a recorded approval", List.of("issue:" + subject)))
            : List.of();
    Decision decision =
        new Decision(
            id, gate, subject, AT, outcome, reasons,
            List.of(new Check("execution needs a recorded approval", "approval-missing",
                outcome == Outcome.DENY ? CheckStatus.FAILED : CheckStatus.PASSED)),
            List.of(new TraceStep(1, "execution needs a recorded approval", "policies/execute.dslr", 14,
                List.of("issue:" + subject, "request:" + gate))),
            java.util.Map.of("issue:" + subject, "request"), List.of(),
            new PolicyRef("sha256:9c1e", 6), null, 210);
    try {
      return LoggedDecision.of(
          request, Json.mapper().writeValueAsString(request),
          decision, Json.mapper().writeValueAsString(decision), "jp", loggedAt);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  static Connection connect(Path db) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + db);
  }

  /** {@code PRAGMA integrity_check} of the SQLite file {@code db} says ok. */
  public static void assertIntegrity(Path db) throws SQLException {
    try (Connection c = connect(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
  }

  /**
   * A log of version 1 holding one decision, old-1, after retention deleted the newest, old-2:
   * its seq (2) must still never be given again.
   */
  public static Path version1Log(Path dataDir) throws Exception {
    Files.createDirectories(dataDir);
    Path db = dataDir.resolve("decisions.db");
    try (Connection c = connect(db); Statement st = c.createStatement()) {
      // As every log is: in WAL mode.
      st.executeQuery("PRAGMA journal_mode = WAL").close();
      Schema.migrate(c, 1);
      for (String id : List.of("old-1", "old-2")) {
        st.execute("INSERT INTO decisions (decision_id, logged_at, gate, subject, actor, principal, request,"
            + " policy_revision, workspace_revision, outcome, decision, duration_micros) VALUES ('" + id
            + "', 1, 'execute', 'S', NULL, NULL, '{\"gate\":\"execute\"}', 'rev', NULL, 'ALLOW',"
            + " '{\"decisionId\":\"" + id + "\"}', 5)");
      }
      st.execute("DELETE FROM decisions WHERE decision_id = 'old-2'");
    }
    return db;
  }
}
