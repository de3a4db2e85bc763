package dev.gatehouse.server.log;

/**
 * When a group commit counts as written: what an answered decision survives.
 *
 * <p>Both keep the design's promise that an answered decision survives a killed process: a commit
 * has handed its pages to the operating system before any decision of it is answered.
 */
public enum LogSync {

  /**
   * SQLite {@code synchronous=NORMAL}: a commit writes the WAL without waiting for the disk, and the
   * WAL is flushed to the disk at every checkpoint (at least every second under load). Survives a
   * killed process; a power cut or an operating system crash can lose the decisions of the last
   * checkpoint interval, never the file's integrity. The default.
   */
  NORMAL,

  /**
   * SQLite {@code synchronous=FULL}: every group commit waits for the disk (fsync), so an answered
   * decision also survives a power cut. Each commit then costs a disk flush (see BENCHMARKS.md).
   */
  FULL
}
