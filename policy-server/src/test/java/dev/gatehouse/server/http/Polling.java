package dev.gatehouse.server.http;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded polling for changes a running server picks up on its own (reloads), instead of fixed sleeps. */
final class Polling {

  private Polling() {}

  /** Asks {@code probe} until {@code condition} holds and returns that answer; fails after {@code within}. */
  static <T> T await(Duration within, String what, Supplier<T> probe, Predicate<T> condition) {
    AtomicReference<T> last = new AtomicReference<>();
    org.awaitility.Awaitility.await(what).atMost(within).pollInterval(Duration.ofMillis(25))
        .until(() -> {
          last.set(probe.get());
          return condition.test(last.get());
        });
    return last.get();
  }
}
