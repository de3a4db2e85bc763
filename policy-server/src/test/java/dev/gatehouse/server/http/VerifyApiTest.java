package dev.gatehouse.server.http;

import static dev.gatehouse.server.http.RunningServer.json;
import static dev.gatehouse.server.http.Tokens.ADMIN;
import static dev.gatehouse.server.http.Tokens.DECIDER;
import static dev.gatehouse.server.http.Tokens.READER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.config.ServerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/decisions/verify}: the chain of a served log, before and after its file was edited behind the server. */
class VerifyApiTest {

  @TempDir Path policies;
  @TempDir Path data;

  @Test
  void namesTheDecisionEditedAndTheOneAfterTheDecisionDeleted() throws Exception {
    try (RunningServer server = RunningServer.start(ServerConfig.defaults(TestPolicies.executeGate(policies))
        .withPort(0).withData(data).withTokens(Tokens.all()))) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String request = i % 2 == 0 ? TestPolicies.ALLOW_REQUEST : TestPolicies.DENY_REQUEST;
        ids.add(json(server.postJson("/v1/decisions", request, DECIDER)).path("decisionId").asText());
      }
      JsonNode intact = json(server.get("/v1/decisions/verify", ADMIN));
      assertThat(intact.path("intact").asBoolean()).isTrue();
      assertThat(intact.path("checked").asInt()).isEqualTo(6);
      assertThat(intact.path("breaks")).isEmpty();
      assertThat(server.get("/v1/decisions/verify", READER).statusCode()).as("admin only").isEqualTo(403);

      // Through a second connection to the file: an ALLOW turned DENY, and a DENY gone.
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("decisions.db"));
          Statement st = c.createStatement()) {
        assertThat(st.executeUpdate("UPDATE decisions SET outcome = 'DENY' WHERE decision_id = '" + ids.get(2) + "'")).isEqualTo(1);
        assertThat(st.executeUpdate("DELETE FROM decisions WHERE decision_id = '" + ids.get(3) + "'")).isEqualTo(1);
      }

      JsonNode broken = json(server.get("/v1/decisions/verify", ADMIN));
      assertThat(broken.path("intact").asBoolean()).isFalse();
      assertThat(broken.path("breaks")).hasSize(2);
      assertThat(broken.path("breaks").get(0).path("decisionId").asText()).isEqualTo(ids.get(2));
      assertThat(broken.path("breaks").get(0).path("problem").asText()).isEqualTo("edited");
      assertThat(broken.path("breaks").get(1).path("decisionId").asText()).isEqualTo(ids.get(4));
      assertThat(broken.path("breaks").get(1).path("problem").asText()).isEqualTo("gap");
      assertThat(broken.path("head")).isEqualTo(intact.path("head"));
    }
  }
}
