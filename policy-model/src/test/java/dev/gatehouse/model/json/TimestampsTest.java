package dev.gatehouse.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-06-02T10:00:00Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
      "2024-02-29T12:00:00Z", "2000-02-29T00:00:00Z", "2026-06-02T10:00:00.5Z", "2026-06-02T10:00:00.123456789Z",
      "2026-06-02T10:00:00.000Z", "2026-06-02T10:00:00.000000001Z", "1969-12-31T23:59:59.999Z"})
  void readsTheUsualFormByHandAsInstantParseDoes(String text) {
    assertThat(Timestamps.usual(text)).as("read by hand").isEqualTo(Instant.parse(text));
    assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // Left to Instant.parse, which accepts each in its own way:
      "2026-06-02T24:00:00Z", "2026-06-30T23:59:60Z", "2026-06-02T10:00:00+01:00", "+12026-06-02T10:00:00Z",
      "2026-06-02T10:00:00.Z", "2026-06-02T10:00:00,5Z",
      // and each refuses:
      "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
      "2026-00-01T00:00:00Z", "2026-06-00T00:00:00Z", "2026-06-02T25:00:00Z", "2026-06-02T10:60:00Z",
      "2026-06-02T10:00:61Z", "2026-06-02t10:00:00Z", "2026-06-02T10:00:00z", "2026-06-02T10:00:00",
      "2026-06-02T10:00:00.1234567890Z", "2026-6-02T10:00:00Z", "2026-06-02 10:00:00Z", "２026-06-02T10:00:00Z",
      "2026-06-02T10:00:0٠Z", "", "2026-06-02T10:00:00ZZ", "-2026-06-02T10:00:00Z"})
  void leavesEveryOtherFormToInstantParse(String text) {
    assertThat(Timestamps.usual(text)).isNull();
    assertSameAsInstantParse(text);
  }

  @Test
  void agreesWithInstantParseOnRandomTimestampsAndNearMisses() {
    Random random = new Random(18);
    String[] offsets = {"Z", "Z", "Z", "z", "+00:00", "-05:30", ""};
    for (int i = 0; i < 200_000; i++) {
      StringBuilder text = new StringBuilder()
          .append(number(random, 4, 10_000)).append('-')
          .append(number(random, 2, 14)).append('-')
          .append(number(random, 2, 33)).append('T')
          .append(number(random, 2, 26)).append(':')
          .append(number(random, 2, 62)).append(':')
          .append(number(random, 2, 62));
      int fraction = random.nextInt(12) - 1;
      if (fraction >= 0) {
        text.append('.');
        for (int d = 0; d < fraction; d++) {
          text.append((char) ('0' + random.nextInt(10)));
        }
      }
      text.append(offsets[random.nextInt(offsets.length)]);
      if (random.nextInt(20) == 0) {
        // A near miss: one character replaced by another printable one.
        text.setCharAt(random.nextInt(text.length()), (char) (' ' + random.nextInt(95)));
      }
      assertSameAsInstantParse(text.toString());
    }
  }

  private static String number(Random random, int width, int bound) {
    return String.format("%0" + width + "d", random.nextInt(bound));
  }

  private static void assertSameAsInstantParse(String text) {
    Object expected;
    try {
      expected = Instant.parse(text);
    } catch (RuntimeException e) {
      expected = e.getClass();
    }
    Object actual;
    try {
      actual = Timestamps.parse(text);
    } catch (RuntimeException e) {
      actual = e.getClass();
    }
    assertThat(actual).as(text).isEqualTo(expected);
  }
}
