package dev.gatehouse.server.cli;

/** The exit codes every command shares: scripts branch on them. */
final class ExitCodes {

  /** ALLOW, tests passed, policies compiled. */
  static final int OK = 0;
  /** DENY, a test failed, policies have errors. */
  static final int FAILED = 1;
  /** Bad input or usage: nothing was decided. */
  static final int BAD_INPUT = 2;

  private ExitCodes() {}
}
