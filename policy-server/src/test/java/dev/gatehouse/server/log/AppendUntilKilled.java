package dev.gatehouse.server.log;

import dev.gatehouse.model.Outcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Semaphore;

/**
 * A process for {@link KillTest}: appends decisions from many requests at once and prints each id
 * on stdout once its append completed, as a server would answer it, until it is killed.
 */
final class AppendUntilKilled {

  private AppendUntilKilled() {}

  public static void main(String[] args) throws InterruptedException {
    SqliteDecisionLog log = SqliteDecisionLog.open(LogOptions.defaults(Path.of(args[0])));
    // Many appends in flight, so that the kill lands amid group commits.
    Semaphore inFlight = new Semaphore(64);
    for (long i = 0; ; i++) {
      inFlight.acquire();
      String id = "d-" + i;
      log.append(TestDecisions.logged(id, "execute", "S", Outcome.ALLOW, Instant.now()))
          .whenComplete((ok, failure) -> {
            if (failure == null) {
              answer(id);
            }
            inFlight.release();
          });
    }
  }

  private static synchronized void answer(String id) {
    System.out.println(id);
    System.out.flush();
  }
}
