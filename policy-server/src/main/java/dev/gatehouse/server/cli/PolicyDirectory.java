package dev.gatehouse.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the bundled default policy set lives when no directory is given. */
final class PolicyDirectory {

  private PolicyDirectory() {}

  /**
   * The bundled {@code policies/}: under {@code gatehouse.home} (set by the {@code ./gatehouse}
   * launcher to the repository root), else under the working directory.
   */
  static Path bundled() {
    String home = System.getProperty("gatehouse.home");
    if (home != null && Files.isDirectory(Path.of(home, "policies"))) {
      return Path.of(home, "policies");
    }
    return Path.of("policies");
  }

  /** The bundled demo workspace, {@code examples/workspace} under {@code gatehouse.home}, or null without one. */
  static Path bundledWorkspace() {
    String home = System.getProperty("gatehouse.home");
    Path demo = home == null ? Path.of("examples", "workspace") : Path.of(home, "examples", "workspace");
    return Files.isDirectory(demo) ? demo : null;
  }

  /** {@code given}, or the bundled directory. */
  static Path orBundled(Path given) {
    return given != null ? given : bundled();
  }
}
