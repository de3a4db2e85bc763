package dev.gatehouse.model.json;

import dev.gatehouse.model.Approval;
import dev.gatehouse.model.Criterion;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.Facts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what binding cannot: required ids, that no two facts share a ref, the size of paths and
 * globs, and that text is text the decision log can store as it was sent.
 */
public final class FactValidator {

  private static final java.util.Set<String> SCOPES = java.util.Set.of("execute", "validate");
  private static final java.util.Set<String> DECISIONS = java.util.Set.of(Approval.APPROVED, "rejected");

  /**
   * The most characters a touched path or a glob may have. Far above real repository paths, and it
   * bounds the time one glob match may take (rules match every touched path against every glob).
   */
  public static final int MAX_PATH_LENGTH = 1024;

  /** The most entries a list of paths or globs of one fact may have. */
  public static final int MAX_PATHS = 10_000;

  private FactValidator() {}

  /** Validates facts found at {@code prefix} (e.g. {@code facts}, or empty for a facts document). */
  public static void validate(String prefix, Facts facts) throws InvalidInputException {
    Map<String, Place> seen = new HashMap<>();
    for (FactKind kind : FactKind.values()) {
      List<? extends Fact> list = facts.ofKind(kind);
      for (int i = 0; i < list.size(); i++) {
        Place at = new Place(prefix, kind, i);
        Fact fact = list.get(i);
        if (fact == null) {
          throw new InvalidInputException(at.path(), "expected an object, not null");
        }
        requireFields(at, kind, fact);
        if (fact instanceof Approval approval) {
          requireApproval(at, approval);
        }
        Place earlier = seen.putIfAbsent(fact.ref(), at);
        if (earlier != null) {
          throw new InvalidInputException(at.path(), "duplicate ref '" + fact.ref() + "', also at " + earlier.path());
        }
      }
    }
  }

  /**
   * Where a fact is, e.g. {@code facts.issues[3]}: its path is only built for a refusal, since a
   * valid request (nearly every one) would otherwise build one per fact and field for nothing.
   */
  private record Place(String prefix, FactKind kind, int index) {

    String path() {
      return (prefix.isEmpty() ? "" : prefix + ".") + kind.jsonName() + "[" + index + "]";
    }

    String path(String field) {
      return path() + "." + field;
    }
  }

  /** Refuses a missing or blank text field. */
  public static void requireText(String path, String value) throws InvalidInputException {
    if (blank(value)) {
      throw new InvalidInputException(path, "required field is missing or empty");
    }
  }

  /**
   * What is wrong with {@code value} as text, or null when nothing is: a NUL character or a lone
   * UTF-16 surrogate (a JSON string can carry both as escapes) cannot be stored as sent in the
   * decision log's UTF-8 text, so the log would not say what was asked.
   */
  public static String textProblem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == 0) {
        return "text may not contain a NUL character (U+0000)";
      }
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return String.format("text may not contain a lone surrogate (U+%04X): it is not Unicode text", (int) c);
      }
    }
    return null;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static void requireFields(Place at, FactKind kind, Fact fact) throws InvalidInputException {
    for (FactKind.Field field : kind.required()) {
      Object value = field.value().apply(fact);
      switch (field.check()) {
        case TEXT -> {
          if (blank((String) value)) {
            throw new InvalidInputException(at.path(field.name()), "required field is missing or empty");
          }
        }
        case CRITERIA -> {
          List<?> criteria = (List<?>) value;
          for (int i = 0; i < criteria.size(); i++) {
            if (!(criteria.get(i) instanceof Criterion criterion) || criterion.text() == null) {
              throw new InvalidInputException(at.path(field.name()) + "[" + i + "].text", "required field is missing or empty");
            }
          }
        }
        case GLOBS -> requirePaths(at, field.name(), strings(value), "glob");
        case PATHS -> requirePaths(at, field.name(), strings(value), "path");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object value) {
    return (List<String>) value;
  }

  /**
   * An approval's scope and decision are one of the words rules know: an approval of scope
   * "execution" or with decision "denied" would count as neither approval nor rejection, so a
   * rejection could be written and never seen.
   */
  private static void requireApproval(Place at, Approval approval) throws InvalidInputException {
    if (!SCOPES.contains(approval.scope())) {
      throw new InvalidInputException(at.path("scope"), "expected execute or validate");
    }
    if (!DECISIONS.contains(approval.decision())) {
      throw new InvalidInputException(at.path("decision"), "expected approved or rejected");
    }
  }

  private static void requirePaths(Place fact, String field, List<String> paths, String what)
      throws InvalidInputException {
    if (paths.size() > MAX_PATHS) {
      throw new InvalidInputException(fact.path(field), paths.size() + " " + what + "s; at most " + MAX_PATHS + " are accepted");
    }
    for (int i = 0; i < paths.size(); i++) {
      if (paths.get(i).length() > MAX_PATH_LENGTH) {
        throw new InvalidInputException(fact.path(field) + "[" + i + "]",
            what + " of " + paths.get(i).length() + " characters; at most " + MAX_PATH_LENGTH + " are accepted");
      }
      if (what.equals("glob") && !normalGlob(paths.get(i))) {
        // A glob that is not in normal form matches no normalised path: a forbidding one would forbid nothing.
        throw new InvalidInputException(fact.path(field) + "[" + i + "]", "glob '" + paths.get(i) + "' is not in normal form: write it"
            + " relative to the repository root, without '.', '..' or empty segments and without a trailing '/'");
      }
    }
  }

  private static boolean normalGlob(String glob) {
    if (glob == null || glob.isBlank()) {
      return true;
    }
    // Segment by segment in place: split() allocated a list and a string per segment of every glob.
    for (int start = 0; ; ) {
      int end = glob.indexOf('/', start);
      int length = (end < 0 ? glob.length() : end) - start;
      if (length == 0 || length == 1 && glob.charAt(start) == '.' || length == 2 && glob.startsWith("..", start)) {
        return false;
      }
      if (end < 0) {
        return true;
      }
      start = end + 1;
    }
  }
}
