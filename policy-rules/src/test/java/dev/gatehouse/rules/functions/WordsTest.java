package dev.gatehouse.rules.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordsTest {

  @Test
  void wordsAreTheSameWhenTheirLettersAndDigitsAre() {
    assertThat(Words.same("Operator-Rejection ", "operator-rejection")).isTrue();
    assertThat(Words.same("operator-rejection", "operator-rejection")).isTrue();
    // A value that can only close a gate closes it however it is spelt between its letters.
    assertThat(Words.same("operator rejection", "operator-rejection")).isTrue();
    assertThat(Words.same("operator_rejection", "operator-rejection")).isTrue();
    assertThat(Words.same("operator-rejection\u200b", "operator-rejection")).isTrue();
    assertThat(Words.same("operator-acceptance", "operator-rejection")).isFalse();
    assertThat(Words.same(null, "operator-rejection")).isFalse();
  }
}
