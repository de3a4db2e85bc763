package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded polling for changes a running server picks up on its own (reloads), instead of fixed sleeps. */
final class Polling {

  private static final long PAUSE_MILLIS = 25;

  private Polling() {}

  /** Asks {@code probe} until {@code condition} holds and returns that answer; fails after {@code within}. */
  static <T> T await(Duration within, String what, Supplier<T> probe, Predicate<T> condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      T answer = probe.get();
      if (condition.test(answer)) {
        return answer;
      }
      assertThat(System.nanoTime()).as("%s not seen within %s; last: %s", what, within, answer).isLessThan(deadline);
      try {
        Thread.sleep(PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
