package dev.gatehouse.rules.functions;

import dev.gatehouse.model.Doubt;

/**
 * Which facts a doubt is about. A doubt names the ref of the fact in doubt and, when it is known,
 * the issue that fact is about; a gate that needs a doubted fact denies rather than guess.
 */
public final class Doubts {

  // The kinds whose facts belong to one issue without naming it in their ref: a doubt about one of
  // them that names no issue could be about any issue. A contract's ref names its issue.
  private static final java.util.List<String> ISSUE_KINDS = java.util.List.of("approval:", "evidence:", "run:");

  private Doubts() {}

  /** Whether {@code doubt} is about the fact {@code kind:key}, e.g. {@code about(d, "admission", "acme/widgets")}. */
  public static boolean about(Doubt doubt, String kind, String key) {
    return key != null && (kind + ":" + key).equals(doubted(doubt));
  }

  /**
   * Whether {@code doubt} concerns the issue {@code issue}: it is about the issue itself or one of
   * its contracts, it names the issue, or it is about an approval, evidence or run and names no
   * issue (it could be about any, so it is about this one too).
   */
  public static boolean concerns(Doubt doubt, String issue) {
    if (issue == null) {
      return false;
    }
    String doubted = doubted(doubt);
    if (issue.equals(doubt.issue()) || about(doubt, "issue", issue) || doubted.startsWith("contract:" + issue + "@")) {
      return true;
    }
    if (doubt.issue() == null || doubt.issue().isBlank()) {
      for (String kind : ISSUE_KINDS) {
        if (doubted.startsWith(kind)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The ref of the fact in doubt ({@code approval:A-3}). */
  static String doubted(Doubt doubt) {
    return doubt.about() == null ? "" : doubt.about();
  }
}
