package dev.gatehouse.server.log;

/** Waiting for the log's own threads. */
final class Threads {

  private Threads() {}

  /**
   * Waits until {@code thread} has ended, even when interrupted meanwhile: returning early would
   * leave its work (queued decisions, an open connection) unfinished behind the caller's back. The
   * interrupt is kept for the caller.
   */
  static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
