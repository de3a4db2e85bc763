package dev.gatehouse.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rules.PolicyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DirectoryWatcher} hands on only content that stayed the same for the settle interval,
 * outlives anything its callback throws, and follows a directory switched by a symbolic link.
 * Changes arrive in a queue the test takes from with a bound, so nothing waits a fixed time.
 */
class DirectoryWatcherTest {

  private static final Duration LONG_RECHECK = Duration.ofSeconds(60);
  private static final long WITHIN_SECONDS = 10;

  @TempDir Path dir;
  final BlockingQueue<String> changes = new LinkedBlockingQueue<>();
  DirectoryWatcher watcher;

  @AfterEach
  void close() {
    if (watcher != null) {
      watcher.close();
    }
  }

  @Test
  void handsOnOnlyContentThatStayedTheSameForTheSettleInterval() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    start(policies, LONG_RECHECK, Duration.ofMillis(500), changes::add);

    // A writer that appends every 100 ms, 500 ms in all: never quiet for a whole settle interval.
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      for (String chunk : List.of("rule 1\n", "rule 2\n", "rule 3\n", "rule 4\n", "rule 5\n", "end\n")) {
        append(policies.resolve("merge.dslr"), chunk);
        pause(100);
      }
    });
    writer.get(WITHIN_SECONDS, TimeUnit.SECONDS);

    assertThat(changes.poll(WITHIN_SECONDS, TimeUnit.SECONDS))
        .as("the first content handed on is the whole file")
        .isEqualTo(fingerprint(policies));
  }

  @Test
  void contentToldToRetryIsHandedOnAgainAtTheNextRecheckThoughUnchanged() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    write(policies.resolve("rules.drl"), "version 1");
    // As a compile that ran out of time does: the same files once more, unchanged.
    java.util.concurrent.atomic.AtomicInteger handedOn = new java.util.concurrent.atomic.AtomicInteger();
    start(policies, Duration.ofMillis(100), Duration.ofMillis(50), content -> {
      changes.add(content);
      if (handedOn.incrementAndGet() == 1) {
        watcher.retry();
      }
    });
    watcher.retry();

    assertThat(changes.poll(WITHIN_SECONDS, TimeUnit.SECONDS)).isEqualTo(fingerprint(policies));
    assertThat(changes.poll(WITHIN_SECONDS, TimeUnit.SECONDS)).as("retried once more").isEqualTo(fingerprint(policies));
    assertThat(changes.poll(500, TimeUnit.MILLISECONDS)).as("and then left alone").isNull();
  }

  @Test
  void aFileOutsideTheFingerprintWrittenAllTheTimeDoesNotHoldReloadsOff() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    start(policies, LONG_RECHECK, Duration.ofMillis(300), changes::add);
    AtomicBoolean stop = new AtomicBoolean();
    // Watch events every 20 ms, none of them a change of the rule files.
    CompletableFuture<Void> logger = CompletableFuture.runAsync(() -> {
      while (!stop.get()) {
        append(policies.resolve("server.log"), "a line\n");
        pause(20);
      }
    });
    try {
      write(policies.resolve("rules.drl"), "version 1");

      assertThat(changes.poll(WITHIN_SECONDS, TimeUnit.SECONDS)).isEqualTo("rules.drl=version 1");
    } finally {
      stop.set(true);
      logger.get(WITHIN_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void keepsWatchingWhateverTheCallbackThrows() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    BlockingQueue<Throwable> faults = new LinkedBlockingQueue<>(List.of(
        new StackOverflowError(), new NullPointerException(), new AssertionError("invariant"), new LinkageError()));
    start(policies, LONG_RECHECK, Duration.ofMillis(50), seen -> {
      changes.add(seen);
      Throwable fault = faults.poll();
      if (fault instanceof Error error) {
        throw error;
      } else if (fault instanceof RuntimeException runtime) {
        throw runtime;
      }
    });

    for (int i = 1; i <= 5; i++) {
      write(policies.resolve("rules.drl"), "version " + i);
      assertThat(changes.poll(WITHIN_SECONDS, TimeUnit.SECONDS)).as("version %d", i).isEqualTo(fingerprint(policies));
    }
    assertThat(faults).isEmpty();
  }

  @Test
  void retriesTheSameContentAfterTheJvmFailedWhileHandingItOn() throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    BlockingQueue<Throwable> faults = new LinkedBlockingQueue<>(List.of(new OutOfMemoryError("Java heap space")));
    start(policies, Duration.ofMillis(200), Duration.ofMillis(50), seen -> {
      changes.add(seen);
      Throwable fault = faults.poll();
      if (fault != null) {
        throw (Error) fault;
      }
    });

    write(policies.resolve("rules.drl"), "version 1");

    String first = changes.poll(WITHIN_SECONDS, TimeUnit.SECONDS);
    assertThat(first).isEqualTo(fingerprint(policies));
    assertThat(changes.poll(WITHIN_SECONDS, TimeUnit.SECONDS)).as("handed on again").isEqualTo(first);
  }

  @Test
  void followsADirectorySwitchedByASymbolicLink() throws Exception {
    Path v1 = Files.createDirectories(dir.resolve("releases/v1"));
    Path v2 = Files.createDirectories(dir.resolve("releases/v2"));
    write(v1.resolve("rules.drl"), "release 1");
    write(v2.resolve("rules.drl"), "release 2");
    Path policies = Files.createSymbolicLink(dir.resolve("policies"), Path.of("releases/v1"));
    // A recheck too rare to matter: only watch events can deliver a change within the test's bound.
    start(policies, LONG_RECHECK, Duration.ofMillis(50), changes::add);

    Path next = Files.createSymbolicLink(dir.resolve("policies.new"), Path.of("releases/v2"));
    Files.move(next, policies, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    // A deploy then removes the old release; the watcher hears that from the old target's watches.
    delete(v1);

    assertThat(changes.poll(WITHIN_SECONDS, TimeUnit.SECONDS)).isEqualTo("rules.drl=release 2");
    write(v2.resolve("more.drl"), "added to release 2");
    assertThat(changes.poll(WITHIN_SECONDS, TimeUnit.SECONDS))
        .as("an edit under the new target, heard from its own watches")
        .isEqualTo("more.drl=added to release 2\nrules.drl=release 2");
  }

  private void start(Path directory, Duration recheck, Duration settle, Consumer<String> onChange) throws IOException {
    watcher = new DirectoryWatcher(PolicyFiles.tree(directory), recheck, settle, () -> fingerprint(directory), onChange,
        "test-watcher");
    watcher.seen();
    watcher.start();
  }

  /** Every rule file's relative path and text, sorted; the link at the root resolved, as PolicyFiles does. */
  private static String fingerprint(Path directory) {
    try {
      Path root = directory.toRealPath();
      try (Stream<Path> files = Files.walk(root)) {
        return files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(drl|dsl|dslr)$")).sorted()
            .map(file -> root.relativize(file) + "=" + read(file))
            .collect(Collectors.joining("\n"));
      }
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void append(Path file, String text) {
    try {
      Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path tree) throws IOException {
    try (Stream<Path> paths = Files.walk(tree)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** The writer's pace: what makes it slow, not a wait for the watcher. */
  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
