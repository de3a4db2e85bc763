package dev.gatehouse.rules;

import java.util.List;
import java.util.Map;

/**
 * A compiled rule and its metadata.
 *
 * @param name the rule name: a stable id that appears in traces, checks and tests
 * @param file the rule file, relative to the policy directory
 * @param line the line of the rule's header in that file
 * @param gates the gates the rule belongs to ({@code @gate}); empty for a helper rule that fires for every gate
 * @param code the reason code it raises ({@code @code}), or null
 * @param description its one-line description ({@code @description}), or null
 * @param metadata all of its metadata, as written
 * @param source the rule as the author wrote it, from its header to its {@code end} (DSL sentences
 *     unexpanded), so reviewers read the author's words next to a trace
 * @param bound the names its conditions bind, without {@code $}, with their declared types: what its
 *     message and remedy may show as {@code [name]} or {@code [name.field]}
 */
public record RuleInfo(
    String name,
    String file,
    int line,
    List<String> gates,
    String code,
    String description,
    Map<String, String> metadata,
    String source,
    Map<String, Class<?>> bound) {

  public RuleInfo {
    gates = List.copyOf(gates);
    metadata = Map.copyOf(metadata);
    bound = Map.copyOf(bound);
  }

  /** A rule whose bound names are not known. */
  public RuleInfo(String name, String file, int line, List<String> gates, String code, String description,
      Map<String, String> metadata, String source) {
    this(name, file, line, gates, code, description, metadata, source, Map.of());
  }

  /**
   * The rule's {@code @remedy}: the next step that clears its reason, as a template with the same
   * {@code [placeholders]} as its message; null when it gives none.
   */
  public String remedy() {
    return metadata.get("remedy");
  }

  /** Whether the rule belongs to {@code gate}. */
  public boolean belongsTo(String gate) {
    return gates.contains(gate);
  }
}
