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

  /**
   * {@code value} trimmed and in lower case ({@code upper}: upper case), or null when it is null:
   * rules compare the canonical form, so {@code Validated} and {@code validated} mean the same.
   */
  static String canonical(String value, boolean upper) {
    if (value == null) {
      return null;
    }
    String trimmed = value.strip();
    return upper ? trimmed.toUpperCase(java.util.Locale.ROOT) : trimmed.toLowerCase(java.util.Locale.ROOT);
  }
}
