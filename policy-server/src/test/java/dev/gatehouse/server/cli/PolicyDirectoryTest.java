package dev.gatehouse.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code gatehouse serve} with no flags decides with: the bundled policies and the demo workspace. */
class PolicyDirectoryTest {

  private static final String HOME = "gatehouse.home";

  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(HOME);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(HOME);
    } else {
      System.setProperty(HOME, saved);
    }
  }

  @Test
  void serveDefaultsToTheBundledDemoWorkspaceUnderGatehouseHome() {
    Path root = Path.of(System.getProperty("gatehouse.root"));
    System.setProperty(HOME, root.toString());

    assertThat(PolicyDirectory.bundledWorkspace()).isEqualTo(root.resolve("examples/workspace"));
    assertThat(PolicyDirectory.bundled()).isEqualTo(root.resolve("policies"));
  }

  @Test
  void noWorkspaceWhenTheHomeHasNoDemo(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve("policies"));
    System.setProperty(HOME, home.toString());

    assertThat(PolicyDirectory.bundledWorkspace()).isNull();
  }
}
