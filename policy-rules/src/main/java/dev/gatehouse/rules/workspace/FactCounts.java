package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fact counts by kind, always listing every kind in {@link FactKind} order so output is stable. */
final class FactCounts {

  private FactCounts() {}

  static Map<String, Integer> of(Iterable<? extends Fact> facts) {
    Map<String, Integer> counts = zero();
    for (Fact fact : facts) {
      counts.merge(FactKind.of(fact).jsonName(), 1, Integer::sum);
    }
    return Collections.unmodifiableMap(counts);
  }

  static Map<String, Integer> copy(Map<String, Integer> counts) {
    Map<String, Integer> copy = zero();
    copy.putAll(counts);
    return Collections.unmodifiableMap(copy);
  }

  private static Map<String, Integer> zero() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (FactKind kind : FactKind.values()) {
      counts.put(kind.jsonName(), 0);
    }
    return counts;
  }
}
