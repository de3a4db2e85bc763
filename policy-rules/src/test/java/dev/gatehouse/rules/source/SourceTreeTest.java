package dev.gatehouse.rules.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.rules.source.SourceTree.Source;
import dev.gatehouse.rules.source.SourceTree.Stamp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a {@link SourceTree} lists, its revision, and what changes its stamp. */
class SourceTreeTest {

  private static final Set<String> RULES = Set.of(".drl", ".dsl", ".dslr");

  @TempDir Path dir;

  /** How a row's path comes to exist. */
  enum Made {
    FILE, LINK_TO_FILE_IN_TREE, LINK_TO_FILE_ELSEWHERE, DANGLING_LINK, UNDER_LINKED_DIRECTORY, UNDER_LINK_TO_ROOT
  }

  record Row(String path, Made made, boolean listed, String why) {}

  static final List<Row> TABLE = List.of(
      new Row("b.drl", Made.FILE, true, "a rule file"),
      new Row("a/x.dsl", Made.FILE, true, "nested"),
      new Row("a/deeper/y.dslr", Made.FILE, true, "nested deeper"),
      new Row("a.drl/c.drl", Made.FILE, true, "under a directory named like a rule file (which is not listed)"),
      new Row("notes.txt", Made.FILE, false, "another extension"),
      new Row("B.DRL", Made.FILE, false, "extensions are case-sensitive"),
      new Row("b.drl~", Made.FILE, false, "an editor's backup"),
      new Row("#b.drl#", Made.FILE, false, "an Emacs autosave"),
      new Row("b.drl.orig", Made.FILE, false, "a merge leftover"),
      new Row(".b.drl.swp", Made.FILE, false, "a Vim swap file"),
      new Row(".hidden.drl", Made.FILE, false, "hidden"),
      new Row(".git/z.drl", Made.FILE, false, "under a hidden directory"),
      new Row("a/.cache/z.drl", Made.FILE, false, "under a hidden directory below the root"),
      new Row("..data/k.drl", Made.FILE, false, "under a Kubernetes volume's hidden ..data"),
      new Row("k.drl", Made.LINK_TO_FILE_IN_TREE, true, "a link to ..data/k.drl, as a ConfigMap volume has"),
      new Row("shared.drl", Made.LINK_TO_FILE_ELSEWHERE, true, "a link to a file outside the tree"),
      new Row("gone.drl", Made.DANGLING_LINK, false, "a dangling link"),
      new Row(".#b.drl", Made.DANGLING_LINK, false, "an Emacs lock, a hidden dangling link"),
      new Row("linked/z.drl", Made.UNDER_LINKED_DIRECTORY, false, "a link to a directory is not entered"),
      new Row("loop/b.drl", Made.UNDER_LINK_TO_ROOT, false, "a link back to an ancestor is not entered"));

  @Test
  void listsByOneRuleSet() throws IOException {
    Path root = Files.createDirectories(dir.resolve("policies"));
    for (Row row : TABLE) {
      make(root, row);
    }
    List<String> expected = TABLE.stream().filter(Row::listed).map(Row::path).sorted().toList();

    SourceTree tree = new SourceTree(root, RULES);

    assertThat(tree.list()).extracting(Source::path).as(describe(TABLE))
        .containsExactlyElementsOf(expected);
    assertThat(text(tree.read().get("k.drl"))).isEqualTo("..data/k.drl");
    assertThat(text(tree.read().get("shared.drl"))).isEqualTo("elsewhere");
    Path current = Files.createSymbolicLink(dir.resolve("current"), root.getFileName());
    assertThat(new SourceTree(current, RULES).list()).as("through a linked root").extracting(Source::path)
        .containsExactlyElementsOf(expected);
    Path real = root.toRealPath();
    assertThat(tree.directories()).as("the directories a watcher watches")
        .containsExactlyInAnyOrder(real, real.resolve("a"), real.resolve("a/deeper"), real.resolve("a.drl"));
  }

  @Test
  void revisionKeepsTheFormatThatLoggedDecisionsName() throws IOException {
    TreeMap<String, byte[]> files = new TreeMap<>(Map.of("a/x.dsl", bytes("dsl"), "b.drl", bytes("rule b")));
    // Golden, as in DroolsPolicyEngineTest: sha256 over "a/x.dsl\0dsl\0b.drl\0rule b\0".
    String golden = "sha256:2232b932ea2f7b022649736c2c9683a2389ce3bdb76b7cc7ed99bec42eff0824";

    assertThat(SourceTree.revision(files)).isEqualTo(golden);
    write(dir.resolve("a/x.dsl"), "dsl");
    write(dir.resolve("b.drl"), "rule b");
    write(dir.resolve(".b.drl.swp"), "not listed");
    write(dir.resolve("notes.txt"), "not listed");
    assertThat(SourceTree.revision(new SourceTree(dir, RULES).read())).isEqualTo(golden);
  }

  @Test
  void theStampChangesWithEveryChangeOfTheListedFilesAndNoOther() throws IOException {
    SourceTree tree = new SourceTree(dir, RULES);
    write(dir.resolve("a/x.dsl"), "dsl");
    write(dir.resolve("b.drl"), "rule b");
    // Files last written an hour ago: an edit now gives them a new modification time.
    backdate(dir.resolve("a/x.dsl"));
    backdate(dir.resolve("b.drl"));

    assertChanges(tree, "add", () -> write(dir.resolve("c.drl"), "rule c"));
    assertChanges(tree, "remove", () -> Files.delete(dir.resolve("c.drl")));
    assertChanges(tree, "rename", () -> Files.move(dir.resolve("b.drl"), dir.resolve("c.drl")));
    assertChanges(tree, "rename a directory", () -> Files.move(dir.resolve("a"), dir.resolve("d")));
    assertChanges(tree, "edit", () -> write(dir.resolve("c.drl"), "rule c, longer"));
    backdate(dir.resolve("c.drl"));
    assertChanges(tree, "edit keeping the size", () -> write(dir.resolve("c.drl"), "rule d, longer"));
    FileTime before = backdate(dir.resolve("c.drl"));
    assertChanges(tree, "replaced by rename, keeping size and modification time", () -> {
      write(dir.resolve(".c.drl.tmp"), "rule e, longer");
      Files.setLastModifiedTime(dir.resolve(".c.drl.tmp"), before);
      Files.move(dir.resolve(".c.drl.tmp"), dir.resolve("c.drl"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    });

    Stamp stamp = tree.stamp();
    write(dir.resolve("notes.txt"), "not listed");
    write(dir.resolve(".c.drl.swp"), "not listed");
    write(dir.resolve(".git/x.drl"), "not listed");
    assertThat(tree.stamp()).as("files that are not listed").isEqualTo(stamp);
  }

  @Test
  void aCopyThatPutsTheOldModificationTimeBackChangesTheStamp() throws IOException {
    Path file = dir.resolve("b.drl");
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("unix"),
        "the change time needs the unix view");
    write(file, "rule b");
    FileTime modified = backdate(file);
    Object changed = Files.getAttribute(file, "unix:ctime");
    SourceTree tree = new SourceTree(dir, RULES);
    Stamp stamp = tree.stamp();

    // As cp -p does; written until the file system's clock has moved on, which takes a tick at most.
    Instant deadline = Instant.now().plusSeconds(10);
    do {
      write(file, "rule c");
      Files.setLastModifiedTime(file, modified);
    } while (Files.getAttribute(file, "unix:ctime").equals(changed) && Instant.now().isBefore(deadline));

    assertThat(tree.stamp()).isNotEqualTo(stamp);
  }

  @Test
  void aStampOfFilesChangedWithinTheMarginIsNotSettled() throws IOException {
    write(dir.resolve("b.drl"), "rule b");
    Instant takenAt = Instant.now();

    Stamp stamp = new SourceTree(dir, RULES).stamp();

    assertThat(stamp.settled(takenAt)).as("a rewrite within the same tick would keep this stamp").isFalse();
    assertThat(stamp.settled(takenAt.plus(Stamp.MARGIN).plusSeconds(1))).isTrue();
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(new SourceTree(empty, RULES).stamp().settled(takenAt)).as("no files, nothing to rewrite").isTrue();
  }

  @Test
  void aDirectoryThatCannotBeReadFailsTheListing() throws IOException {
    Path locked = Files.createDirectories(dir.resolve("a"));
    write(locked.resolve("x.drl"), "rule x");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      assumeFalse(Files.isReadable(locked), "permissions bind this user (not root)");

      assertThatThrownBy(() -> new SourceTree(dir, RULES).list()).isInstanceOf(AccessDeniedException.class);
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aRootThatIsNotADirectoryIsNoTree() throws IOException {
    write(dir.resolve("b.drl"), "rule b");

    assertThatThrownBy(() -> new SourceTree(dir.resolve("b.drl"), RULES).list()).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> new SourceTree(dir.resolve("missing"), RULES).list()).isInstanceOf(IOException.class);
  }

  private interface Change {
    void apply() throws IOException;
  }

  private static void assertChanges(SourceTree tree, String what, Change change) throws IOException {
    Stamp before = tree.stamp();
    change.apply();
    assertThat(tree.stamp()).as(what).isNotEqualTo(before);
  }

  private void make(Path root, Row row) throws IOException {
    Path path = root.resolve(row.path());
    switch (row.made()) {
      case FILE -> write(path, row.path());
      case LINK_TO_FILE_IN_TREE -> Files.createSymbolicLink(path, Path.of("..data", row.path()));
      case LINK_TO_FILE_ELSEWHERE -> {
        Path target = dir.resolve("elsewhere").resolve(row.path());
        write(target, "elsewhere");
        Files.createSymbolicLink(path, target);
      }
      case DANGLING_LINK -> Files.createSymbolicLink(path, Path.of("missing.drl"));
      case UNDER_LINKED_DIRECTORY -> {
        Path target = dir.resolve("elsewhere/directory");
        write(target.resolve(path.getFileName()), "under a linked directory");
        Files.createSymbolicLink(path.getParent(), target);
      }
      case UNDER_LINK_TO_ROOT -> Files.createSymbolicLink(path.getParent(), Path.of("."));
    }
  }

  private static String describe(List<Row> table) {
    StringBuilder text = new StringBuilder("listed, from the table:");
    table.forEach(row -> text.append("\n  ").append(row.listed() ? "yes " : "no  ").append(row.path())
        .append(" (").append(row.why()).append(')'));
    return text.toString();
  }

  /** Sets the file's modification time an hour back, and returns it. */
  private static FileTime backdate(Path file) throws IOException {
    FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    Files.setLastModifiedTime(file, hourAgo);
    return hourAgo;
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
