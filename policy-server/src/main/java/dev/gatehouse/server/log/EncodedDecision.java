package dev.gatehouse.server.log;

import java.nio.charset.StandardCharsets;

/**
 * A decision to write with its request and decision as UTF-8, encoded once: both the hash chain and
 * the compressed columns read those bytes, and they are most of a decision's size.
 */
record EncodedDecision(LoggedDecision decision, byte[] request, byte[] decisionJson) {

  static EncodedDecision of(LoggedDecision d) {
    return new EncodedDecision(
        d, d.requestJson().getBytes(StandardCharsets.UTF_8), d.decisionJson().getBytes(StandardCharsets.UTF_8));
  }
}
