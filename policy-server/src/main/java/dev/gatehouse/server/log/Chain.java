package dev.gatehouse.server.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash chain over the log: each decision's hash is SHA-256 over the previous decision's hash
 * and the decision's canonical form, so a decision edited, deleted, inserted or moved after it was
 * written no longer matches the hashes around it.
 *
 * <p>The canonical form is every column a reader sees but {@code seq}, in table order, the request
 * and decision as their UTF-8 text (not as compressed), each as a 4-byte big-endian length (-1 for
 * null) and its bytes; {@code logged_at} and {@code duration_micros} as 8-byte big-endian numbers.
 * Leaving out {@code seq} and the compression lets an export imported elsewhere chain the same.
 * Logged decisions carry these hashes, so this byte format must never change.
 */
final class Chain {

  /** The previous hash of the first decision of a log. */
  static final byte[] GENESIS = new byte[32];

  private final MessageDigest sha;
  private final ByteBuffer number = ByteBuffer.allocate(8);

  Chain() {
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  /** The hash of {@code encoded} chained after {@code previous}. Not thread-safe: one per thread. */
  byte[] hash(byte[] previous, EncodedDecision encoded) {
    LoggedDecision d = encoded.decision();
    sha.reset();
    sha.update(previous);
    text(d.decisionId());
    number(Rows.epochNanos(d.loggedAt()));
    text(d.gate());
    text(d.subject());
    text(d.actor());
    text(d.principal());
    bytes(encoded.request());
    text(d.policyRevision());
    text(d.workspaceRevision());
    text(d.outcome().name());
    bytes(encoded.decisionJson());
    number(d.durationMicros());
    return sha.digest();
  }

  private void text(String value) {
    bytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private void bytes(byte[] value) {
    if (value == null) {
      sha.update(number.putInt(0, -1).array(), 0, 4);
      return;
    }
    sha.update(number.putInt(0, value.length).array(), 0, 4);
    sha.update(value);
  }

  private void number(long value) {
    sha.update(number.putLong(0, value).array(), 0, 8);
  }
}
