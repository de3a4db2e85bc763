package dev.gatehouse.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Outcome;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChainTest {

  /**
   * Logged decisions carry their hashes, so the canonical form must never change: the expected hash
   * was computed outside Java from {@link Chain}'s documented format (lengths, -1 for null, UTF-8).
   */
  @Test
  void theHashOfAKnownDecisionIsTheDocumentedOne() {
    LoggedDecision d = new LoggedDecision("d-1", Instant.parse("2026-06-02T10:00:00.123456789Z"), "execute",
        "DEMO-104", "cto-harness", null, "{\"gate\":\"execute\",\"subject\":\"DEMO-104\",\"note\":\"é✓\"}",
        "sha256:abc", null, Outcome.ALLOW, "{\"outcome\":\"ALLOW\"}", 42);

    byte[] hash = new Chain().hash(Chain.GENESIS, EncodedDecision.of(d));

    assertThat(HexFormat.of().formatHex(hash))
        .isEqualTo("7d4d1d99766b76c840b23628e867f119c94cb6bb4d32214cb84e4e9d1f2c91e5");
  }
}
