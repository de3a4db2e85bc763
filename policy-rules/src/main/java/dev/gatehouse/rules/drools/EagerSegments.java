package dev.gatehouse.rules.drools;

import java.util.Arrays;
import java.util.Objects;
import org.drools.core.impl.InternalRuleBase;
import org.drools.core.reteoo.PathEndNode;
import org.drools.core.reteoo.SegmentMemory.SegmentPrototype;
import org.drools.core.reteoo.TerminalNode;
import org.kie.api.KieBase;

/**
 * Works around a Drools 10.2 bug in {@code KieBase.removeRule}, with internal API kept in this one
 * place.
 *
 * <p>Each rule's path lists the segments a session must create eagerly (those with a {@code not} and
 * no join). Removing a rule that shared a path prefix merges the segments it had split, but {@code
 * SegmentPrototype.mergeEagerProtos} keeps the merged-away segment in that list when the merged
 * segment no longer needs eager creation. The first session to build the path then indexes past
 * its segments and the decision fails with "Index N out of bounds for length N". A list can also
 * lose a segment that does need eager creation (the accept gate of the bundled policies had one).
 * This recomputes every list from the path's current segments, as Drools itself does when it
 * builds a base; afterwards each gate base of the bundled policies has the same segments and
 * lists as a base compiled from that gate's file alone.
 */
final class EagerSegments {

  private EagerSegments() {}

  /** Call after the last {@code removeRule} on {@code base}, before it opens a session. */
  static void recompute(KieBase base) {
    for (TerminalNode[] terminals : ((InternalRuleBase) base).getReteooBuilder().getTerminalNodes().values()) {
      for (TerminalNode terminal : terminals) {
        for (PathEndNode end : terminal.getPathEndNodes()) {
          // Null entries are the segments before a subnetwork starts, as in Drools' own build.
          end.setEagerSegmentPrototypes(Arrays.stream(end.getSegmentPrototypes())
              .filter(Objects::nonNull)
              .filter(SegmentPrototype::requiresEager)
              .toArray(SegmentPrototype[]::new));
        }
      }
    }
  }
}
