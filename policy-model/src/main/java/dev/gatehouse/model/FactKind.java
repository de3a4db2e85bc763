package dev.gatehouse.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The kinds of governance facts, in the order they are inserted into a decision session. Each kind
 * owns what Gatehouse knows about it apart from its record: its JSON name (also the component of
 * {@link Facts} that holds it), the prefix of its refs, and the fields a fact of it must have.
 * {@link Facts}, validation and counts iterate over the kinds, so a new kind is a record and a
 * constant here.
 */
public enum FactKind {
  ISSUES("issues", "issue", Issue.class, Facts::issues, null, Issue::id,
      Field.text("id", Issue::id), Field.text("type", Issue::type), Field.criteria("criteria", Issue::criteria)),
  ADMISSIONS("admissions", "admission", Admission.class, Facts::admissions, Admission::reviewedAt, null,
      Field.text("repository", Admission::repository)),
  CONTRACTS("contracts", "contract", Contract.class, Facts::contracts, null, Contract::issue,
      Field.text("issue", Contract::issue), Field.text("repository", Contract::repository),
      Field.globs("allowedPaths", Contract::allowedPaths), Field.globs("forbiddenPaths", Contract::forbiddenPaths)),
  APPROVALS("approvals", "approval", Approval.class, Facts::approvals, Approval::recordedAt, Approval::issue,
      Field.text("id", Approval::id), Field.text("issue", Approval::issue), Field.text("scope", Approval::scope)),
  EVIDENCE("evidence", "evidence", Evidence.class, Facts::evidence, Evidence::recordedAt, Evidence::issue,
      Field.text("id", Evidence::id), Field.text("issue", Evidence::issue), Field.text("kind", Evidence::kind)),
  RUNS("runs", "run", Run.class, Facts::runs, Run::firstMutationAt, Run::issue,
      Field.text("id", Run::id), Field.text("issue", Run::issue), Field.paths("touchedPaths", Run::touchedPaths)),
  // Found by Gatehouse in a workspace, never granted to a caller: a request can only add doubts,
  // which can only deny.
  DOUBTS("doubts", "doubt", Doubt.class, Facts::doubts, null, Doubt::issue,
      Field.text("about", Doubt::about), Field.text("code", Doubt::code));

  /** How a required field is checked. */
  public enum Check {
    /** Present and not blank. */
    TEXT,
    /** A list of criteria, each with its text. */
    CRITERIA,
    /** A list of globs, bounded in count and length. */
    GLOBS,
    /** A list of paths, bounded in count and length. */
    PATHS
  }

  /**
   * A field every fact of a kind must have.
   *
   * @param name its JSON name
   * @param check how it is checked
   * @param value reads it from a fact of the kind
   */
  public record Field(String name, Check check, Function<Fact, Object> value) {

    @SuppressWarnings("unchecked")
    private static <F extends Fact> Field of(String name, Check check, Function<F, ?> value) {
      return new Field(name, check, fact -> value.apply((F) fact));
    }

    static <F extends Fact> Field text(String name, Function<F, String> value) {
      return of(name, Check.TEXT, value);
    }

    static <F extends Fact> Field criteria(String name, Function<F, List<Criterion>> value) {
      return of(name, Check.CRITERIA, value);
    }

    static <F extends Fact> Field globs(String name, Function<F, List<String>> value) {
      return of(name, Check.GLOBS, value);
    }

    static <F extends Fact> Field paths(String name, Function<F, List<String>> value) {
      return of(name, Check.PATHS, value);
    }
  }

  private final String jsonName;
  private final String refPrefix;
  private final Class<? extends Fact> type;
  private final Function<Facts, List<? extends Fact>> facts;
  private final Function<Fact, Instant> time;
  private final Function<Fact, String> issue;
  private final List<Field> required;

  <F extends Fact> FactKind(String jsonName, String refPrefix, Class<F> type, Function<Facts, List<? extends Fact>> facts,
      Function<F, Instant> time, Function<F, String> issue, Field... required) {
    this.jsonName = jsonName;
    this.refPrefix = refPrefix;
    this.type = type;
    this.facts = facts;
    this.time = time == null ? null : fact -> time.apply(type.cast(fact));
    this.issue = issue == null ? null : fact -> issue.apply(type.cast(fact));
    this.required = List.of(required);
  }

  /**
   * When a fact of this kind came to be (an approval's or evidence's {@code recordedAt}, an
   * admission's {@code reviewedAt}, a run's {@code firstMutationAt}), if this kind is timed and the
   * fact names one: a decision at an earlier time must not see it.
   */
  public Optional<Instant> time(Fact fact) {
    return time == null ? Optional.empty() : Optional.ofNullable(time.apply(fact));
  }

  /** The facts of this kind among {@code all}. */
  public List<? extends Fact> in(Facts all) {
    return facts.apply(all);
  }

  /** The field name of this kind in a request's {@code facts} object. */
  public String jsonName() {
    return jsonName;
  }

  /** The record type of facts of this kind. */
  public Class<? extends Fact> type() {
    return type;
  }

  /** The fields a fact of this kind must have, in the order they are checked. */
  public List<Field> required() {
    return required;
  }

  /** The issue a fact of this kind is about (an issue is about itself), if its kind names one. */
  public Optional<String> issue(Fact fact) {
    return issue == null ? Optional.empty() : Optional.ofNullable(issue.apply(fact));
  }

  /** The ref of the fact of this kind keyed {@code key}: {@code issue:CTO-WORK-049}. */
  public String ref(String key) {
    return refPrefix + ":" + key;
  }

  /** The kind named {@code jsonName} in a request, if any. */
  public static Optional<FactKind> byJsonName(String jsonName) {
    return Arrays.stream(values()).filter(k -> k.jsonName.equals(jsonName)).findFirst();
  }

  /** The kind of a fact. */
  public static FactKind of(Fact fact) {
    for (FactKind kind : values()) {
      if (kind.type.isInstance(fact)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("not a governance fact: " + fact);
  }
}
