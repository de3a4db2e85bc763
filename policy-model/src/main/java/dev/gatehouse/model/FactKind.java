package dev.gatehouse.model;

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
  ISSUES("issues", "issue", Issue.class, Facts::issues,
      Field.text("id", Issue::id), Field.criteria("criteria", Issue::criteria)),
  ADMISSIONS("admissions", "admission", Admission.class, Facts::admissions,
      Field.text("repository", Admission::repository)),
  CONTRACTS("contracts", "contract", Contract.class, Facts::contracts,
      Field.text("issue", Contract::issue), Field.text("repository", Contract::repository),
      Field.globs("allowedPaths", Contract::allowedPaths), Field.globs("forbiddenPaths", Contract::forbiddenPaths)),
  APPROVALS("approvals", "approval", Approval.class, Facts::approvals,
      Field.text("id", Approval::id), Field.text("issue", Approval::issue)),
  EVIDENCE("evidence", "evidence", Evidence.class, Facts::evidence,
      Field.text("id", Evidence::id), Field.text("issue", Evidence::issue), Field.text("kind", Evidence::kind)),
  RUNS("runs", "run", Run.class, Facts::runs,
      Field.text("id", Run::id), Field.text("issue", Run::issue), Field.paths("touchedPaths", Run::touchedPaths));

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
  private final List<Field> required;

  FactKind(String jsonName, String refPrefix, Class<? extends Fact> type, Function<Facts, List<? extends Fact>> facts,
      Field... required) {
    this.jsonName = jsonName;
    this.refPrefix = refPrefix;
    this.type = type;
    this.facts = facts;
    this.required = List.of(required);
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
