package dev.gatehouse.rules.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Fact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workspace made again from its contents: what an as-decided replay decides with. */
class WorkspaceRebuildTest {

  @TempDir Path dir;

  @Test
  void theExampleWorkspaceRebuildsWithItsRevisionFactsAndSources() throws IOException {
    Workspace loaded = WorkspaceLoader.load(PlanningMarkdownTest.examples());

    Workspace rebuilt = WorkspaceLoader.rebuild(loaded.contents());

    assertThat(rebuilt.revision()).isEqualTo(loaded.revision());
    assertThat(rebuilt.facts().sorted()).isEqualTo(loaded.facts().sorted());
    assertThat(rebuilt.facts().sorted()).extracting(Fact::source)
        .containsExactlyElementsOf(loaded.facts().sorted().stream().map(Fact::source).toList());
  }

  @Test
  void aFileKeptAtItsLastGoodFactsRebuildsFromThoseBytes() throws IOException {
    write("approvals.yaml", "approvals:\n  - {id: A-1, issue: X-1, approver: JP, scope: execute, statement: ok,"
        + " recordedAt: '2026-06-01T09:00:00Z'}\n");
    Workspace good = WorkspaceLoader.load(dir);
    write("approvals.yaml", "approvals: [unclosed\n");
    Workspace stale = WorkspaceLoader.reload(good, dir);

    Workspace rebuilt = WorkspaceLoader.rebuild(stale.contents());

    assertThat(stale.revision()).isEqualTo(good.revision());
    assertThat(rebuilt.revision()).isEqualTo(stale.revision());
    assertThat(rebuilt.facts().sorted()).isEqualTo(stale.facts().sorted());
  }

  private void write(String path, String text) throws IOException {
    Files.writeString(dir.resolve(path), text, StandardCharsets.UTF_8);
  }
}
