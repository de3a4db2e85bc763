package dev.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A fact Gatehouse could not take at its word: the same ref in two workspace files
 * ({@code fact-conflict}), or an issue the planning reader could not read unambiguously
 * ({@code issue-unreadable}). The doubted facts themselves are set aside; a gate that needs them
 * finds the doubt instead and denies with its code, naming the files and lines.
 *
 * @param about the ref of the fact in doubt, e.g. {@code approval:A-3}; the doubt's own ref is
 *     {@code doubt:} and this
 * @param issue the issue the doubted fact is about, when it is known
 * @param code the deny code a gate gives for it
 * @param message what is in doubt and where, e.g. both files and lines
 * @param source where the doubt was found
 */
public record Doubt(
    String about,
    String issue,
    String code,
    String message,
    @JsonProperty(access = JsonProperty.Access.READ_ONLY) String source)
    implements Fact {

  /** The same ref in two workspace files. */
  public static final String CONFLICT = "fact-conflict";
  /** An issue the planning reader could not read unambiguously. */
  public static final String UNREADABLE = "issue-unreadable";

  public Doubt {
    source = Values.source(source);
  }

  @Override
  public String ref() {
    return FactKind.DOUBTS.ref(about);
  }

  @Override
  public Doubt withSource(String source) {
    return new Doubt(about, issue, code, message, source);
  }
}
