package dev.gatehouse.model;

import java.util.List;

/** Normalisation shared by the fact constructors: facts are immutable and never hold null lists. */
final class Values {

  private Values() {}

  static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : List.copyOf(values);
  }

  static String source(String source) {
    return source == null ? Fact.REQUEST_SOURCE : source;
  }
}
