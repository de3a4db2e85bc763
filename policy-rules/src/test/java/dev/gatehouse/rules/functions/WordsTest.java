package dev.gatehouse.rules.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordsTest {

  @Test
  void wordsAreTheSameApartFromCaseAndSurroundingSpace() {
    assertThat(Words.same("Operator-Rejection ", "operator-rejection")).isTrue();
    assertThat(Words.same("operator-rejection", "operator-rejection")).isTrue();
    assertThat(Words.same("operator rejection", "operator-rejection")).isFalse();
    assertThat(Words.same(null, "operator-rejection")).isFalse();
  }
}
