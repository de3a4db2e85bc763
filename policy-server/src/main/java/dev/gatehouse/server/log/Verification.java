package dev.gatehouse.server.log;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What checking the log's hash chain found.
 *
 * <p>What it proves: no decision between the oldest and the newest was edited, deleted, inserted
 * or moved since it was written — unless whoever did it also rewrote the hashes of every decision
 * after it. Someone who can rewrite the whole file can do that; comparing {@link #head()} with a
 * head published elsewhere earlier (in a ticket, a build log, another system) closes that gap for
 * every decision up to the published one. It cannot tell the oldest decisions deleted by retention
 * from ones deleted by hand, nor newest ones deleted, without such a published head.
 *
 * @param checked how many decisions were checked
 * @param unchained how many of the oldest carry no hash: logged before the chain existed
 * @param head the hash of the newest decision, lowercase hex, or null for a log without one
 * @param breaks every broken link, oldest first; empty when the chain holds
 */
@JsonPropertyOrder({"intact", "checked", "unchained", "head", "breaks"})
public record Verification(long checked, long unchained, String head, List<Break> breaks) {

  public Verification {
    breaks = List.copyOf(breaks);
  }

  /** Whether every link holds. */
  @JsonProperty("intact")
  public boolean intact() {
    return breaks.isEmpty();
  }

  /**
   * A link that does not hold.
   *
   * @param decisionId the decision where it breaks
   * @param seq its position in the log
   * @param problem {@code edited}: the decision does not match its own hash; {@code gap}: the
   *     decision before it is not the one it was chained to (one between was deleted, or they
   *     were moved); {@code unreadable}: its row does not read
   * @param message what was found, in words
   */
  public record Break(String decisionId, long seq, String problem, String message) {}
}
