package dev.gatehouse.rules.workspace;

import dev.gatehouse.model.Fact;

/** A fact read from a workspace file and the line it starts on, so a duplicate can be pointed at. */
record LocatedFact(Fact fact, int line) {}
