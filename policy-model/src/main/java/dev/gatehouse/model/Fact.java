package dev.gatehouse.model;

/**
 * A governance fact loaded into a decision.
 *
 * <p>Every fact has a stable {@link #ref()} used in traces and reasons, and a {@link #source()}
 * naming where Gatehouse loaded it from: {@code request}, or the workspace file it came from. The
 * source is set by Gatehouse, never by a caller, so rules may demand trusted provenance.
 */
public interface Fact {

  /** The source of facts that arrived in a decision request. */
  String REQUEST_SOURCE = "request";

  /** A stable reference such as {@code issue:CTO-WORK-049} or {@code approval:A-17}. */
  String ref();

  /** Where the fact was loaded from: {@code request} or a workspace file path. */
  String source();

  /** The same fact with another source. */
  Fact withSource(String source);
}
