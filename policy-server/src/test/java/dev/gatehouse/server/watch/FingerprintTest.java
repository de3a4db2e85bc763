package dev.gatehouse.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.source.SourceTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link Fingerprint} reads the files only when the stamp changed, and never trusts a stamp
 * younger than the margin.
 */
class FingerprintTest {

  /** A clock an hour ahead: every file written by the test is long settled by it. */
  private static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

  @TempDir Path dir;
  final AtomicInteger reads = new AtomicInteger();

  @Test
  void readsTheFilesOnlyWhenTheStampChanged() throws IOException {
    Files.writeString(dir.resolve("rules.drl"), "version 1");
    Fingerprint fingerprint = new Fingerprint(PolicyFiles.tree(dir), this::counted, LATER);

    String first = fingerprint.get();
    assertThat(fingerprint.get()).isEqualTo(first);
    assertThat(reads).as("read once, then the stamp vouched for it").hasValue(1);

    Files.writeString(dir.resolve("notes.txt"), "not a rule file");
    assertThat(fingerprint.get()).isEqualTo(first);
    assertThat(reads).hasValue(1);

    Files.writeString(dir.resolve("rules.drl"), "version 2, longer");
    assertThat(fingerprint.get()).isNotEqualTo(first).isEqualTo(revision());
    assertThat(reads).hasValue(2);
  }

  @Test
  void aRewriteWithinTheSameTickIsSeenBecauseAYoungStampIsNeverTrusted() throws IOException {
    Path rules = dir.resolve("rules.drl");
    Files.writeString(rules, "version 1");
    FileTime written = Files.getLastModifiedTime(rules);
    Fingerprint fingerprint = new Fingerprint(PolicyFiles.tree(dir), this::revision, Clock.systemUTC());
    String first = fingerprint.get();

    // Same size, same inode, the same modification time: what a second write in one tick of the
    // file system's clock leaves behind, and the change time may not have moved either.
    Files.writeString(rules, "version 2");
    Files.setLastModifiedTime(rules, written);

    assertThat(fingerprint.get()).isNotEqualTo(first).isEqualTo(revision());
  }

  @Test
  void aFailedReadIsNotKept() throws IOException {
    Files.writeString(dir.resolve("rules.drl"), "version 1");
    AtomicInteger calls = new AtomicInteger();
    Supplier<String> failingOnce = () -> calls.getAndIncrement() == 0 ? null : revision();
    Fingerprint fingerprint = new Fingerprint(PolicyFiles.tree(dir), failingOnce, LATER);

    assertThat(fingerprint.get()).isNull();
    assertThat(fingerprint.get()).isEqualTo(revision());
  }

  @Test
  void aTreeThatCannotBeListedIsReadEveryTime() {
    Fingerprint fingerprint = new Fingerprint(PolicyFiles.tree(dir.resolve("missing")), () -> {
      reads.incrementAndGet();
      return null;
    }, LATER);

    fingerprint.get();
    fingerprint.get();

    assertThat(reads).hasValue(2);
  }

  private String counted() {
    reads.incrementAndGet();
    return revision();
  }

  private String revision() {
    try {
      return SourceTree.revision(PolicyFiles.tree(dir).read());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
