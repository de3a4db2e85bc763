package dev.gatehouse.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rules.PolicyEngine.Reload.Status;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PolicyEngine} keeps serving a good set whatever the compiler does (throws, overflows its
 * stack, returns nothing) and whatever a writer does to the directory while a set compiles.
 */
class PolicyEngineTest {

  /** A second rule file: adding it changes the revision, and it compiles. */
  private static final String EXTRA = """
      package gatehouse.test.basic;

      import dev.gatehouse.model.*;
      import function dev.gatehouse.rules.drools.RuleActions.deny;

      rule "merges are frozen"
        @gate("merge") @code("merge-frozen") @description("no merges")
      when
        Request( gate == "merge" )
      then
        deny(kcontext, "merges are frozen");
      end
      """;

  /** The real compiler, unless told to throw or to run something first (a writer at work). */
  static final class FaultyCompiler implements PolicyCompiler {
    private final PolicyCompiler real = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT);
    final AtomicInteger calls = new AtomicInteger();
    volatile Supplier<Throwable> fault;
    volatile Runnable during;
    volatile boolean returnNull;

    @Override
    public CompileResult compile(PolicyFiles files) {
      calls.incrementAndGet();
      Runnable writer = during;
      during = null;
      if (writer != null) {
        writer.run();
      }
      Supplier<Throwable> throwing = fault;
      if (throwing != null) {
        sneakyThrow(throwing.get());
      }
      return returnNull ? null : real.compile(files);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable e) throws T {
      throw (T) e;
    }
  }

  @TempDir Path dir;
  final FaultyCompiler compiler = new FaultyCompiler();

  private PolicyEngine loaded() throws IOException {
    Files.copy(TestPolicies.dir("basic").resolve("basic.drl"), dir.resolve("basic.drl"));
    PolicyEngine engine = new PolicyEngine(compiler, dir);
    assertThat(engine.reload().status()).isEqualTo(Status.ACTIVATED);
    return engine;
  }

  @Test
  void aCompilerThatThrowsAnythingIsARecordedFailureAndTheActiveSetStays() throws IOException {
    PolicyEngine engine = loaded();
    String good = engine.active().orElseThrow().revision();
    Files.writeString(dir.resolve("extra.drl"), EXTRA);
    String candidate = PolicyFiles.read(dir).revision();

    List<Supplier<Throwable>> faults = List.of(StackOverflowError::new, NullPointerException::new,
        () -> new IllegalStateException("boom"), () -> new AssertionError("invariant"), NoClassDefFoundError::new);
    for (Supplier<Throwable> fault : faults) {
      compiler.fault = fault;
      String name = fault.get().getClass().getSimpleName();

      PolicyEngine.Reload reload = engine.reload();

      assertThat(reload.status()).as(name).isEqualTo(Status.FAILED);
      assertThat(engine.active().orElseThrow().revision()).as(name).isEqualTo(good);
      PolicyEngine.ReloadFailure failure = engine.lastReloadFailure().orElseThrow();
      assertThat(failure.revision()).as(name).isEqualTo(candidate);
      assertThat(failure.cause()).as(name).containsInstanceOf(fault.get().getClass());
      assertThat(failure.issues()).as(name).singleElement().satisfies(issue -> {
        assertThat(issue.file()).isEmpty();
        assertThat(issue.severity()).isEqualTo(CompileIssue.Severity.ERROR);
      });
      assertThat(failure.message()).as(name).startsWith("<policies>: the compiler ").doesNotContain("Error", "Exception");
    }
    assertThat(engine.lastReloadFailure().orElseThrow().message())
        .contains("internal error; the detail is in the server log");

    compiler.fault = StackOverflowError::new;
    assertThat(engine.reload().compiled().errors().get(0).message())
        .isEqualTo("the compiler ran out of stack on this policy set: an expression is nested too deeply");

    compiler.fault = null;
    assertThat(engine.reload().status()).isEqualTo(Status.ACTIVATED);
    assertThat(engine.active().orElseThrow().revision()).isEqualTo(candidate);
    assertThat(engine.lastReloadFailure()).isEmpty();
  }

  @Test
  void aCompilerThatReturnsNothingIsAFailure() throws IOException {
    PolicyEngine engine = loaded();
    Files.writeString(dir.resolve("extra.drl"), EXTRA);
    compiler.returnNull = true;

    assertThat(engine.reload().status()).isEqualTo(Status.FAILED);
    assertThat(engine.lastReloadFailure().orElseThrow().cause()).containsInstanceOf(NullPointerException.class);
  }

  @Test
  void anErrorOfTheJvmItselfIsNotBlamedOnTheSet() throws IOException {
    PolicyEngine engine = loaded();
    Files.writeString(dir.resolve("extra.drl"), EXTRA);
    compiler.fault = () -> new OutOfMemoryError("Java heap space");

    assertThatThrownBy(engine::reload).isInstanceOf(OutOfMemoryError.class);
    assertThat(engine.lastReloadFailure()).isEmpty();
    assertThatThrownBy(() -> engine.compileCandidate(PolicyFiles.read(dir))).isInstanceOf(OutOfMemoryError.class);

    compiler.fault = null;
    assertThat(engine.reload().status()).isEqualTo(Status.ACTIVATED);
  }

  @Test
  void aCandidateWhoseCompilerThrowsGetsADiagnosticNotAnException() throws IOException {
    PolicyEngine engine = loaded();
    compiler.fault = StackOverflowError::new;

    CompileResult overflowed = engine.compileCandidate(PolicyFiles.of(java.util.Map.of("x.drl", new byte[0])));

    assertThat(overflowed.succeeded()).isFalse();
    assertThat(overflowed.errors()).singleElement()
        .satisfies(e -> assertThat(e.describe()).startsWith("<policies>: the compiler ran out of stack"));
    // A candidate is never activated, and its failure is not a reload failure.
    assertThat(engine.lastReloadFailure()).isEmpty();
  }

  @Test
  void aSetThatChangedWhileItCompiledIsNeitherActivatedNorRecorded() throws IOException {
    PolicyEngine engine = loaded();
    String good = engine.active().orElseThrow().revision();
    // The writer has written half the file: it compiles, and would decide with one rule missing.
    String whole = EXTRA.replace("end\n", "end\n\n" + EXTRA.substring(EXTRA.indexOf("rule ")).replace("merges are frozen\"", "merges are closed\""));
    Files.writeString(dir.resolve("extra.drl"), EXTRA);
    String half = PolicyFiles.read(dir).revision();
    compiler.during = () -> write(dir.resolve("extra.drl"), whole);

    PolicyEngine.Reload reload = engine.reload();

    assertThat(reload.status()).isEqualTo(Status.SUPERSEDED);
    assertThat(reload.revision()).isEqualTo(half);
    assertThat(engine.active().orElseThrow().revision()).isEqualTo(good);
    assertThat(engine.lastReloadFailure()).isEmpty();

    assertThat(engine.reload().status()).isEqualTo(Status.ACTIVATED);
    assertThat(engine.active().orElseThrow().revision()).isEqualTo(PolicyFiles.read(dir).revision()).isNotEqualTo(half);
  }

  @Test
  void aHalfWrittenSetThatFailsWhileTheWriterFinishesRecordsNoFailure() throws IOException {
    PolicyEngine engine = loaded();
    Files.writeString(dir.resolve("extra.drl"), EXTRA.substring(0, EXTRA.indexOf("then")));
    compiler.during = () -> write(dir.resolve("extra.drl"), EXTRA);

    assertThat(engine.reload().status()).isEqualTo(Status.SUPERSEDED);
    assertThat(engine.lastReloadFailure()).isEmpty();
  }

  @Test
  void aReloadExpectingAnotherRevisionCompilesNothing() throws IOException {
    PolicyEngine engine = loaded();
    Files.writeString(dir.resolve("extra.drl"), EXTRA);
    int before = compiler.calls.get();

    PolicyEngine.Reload reload = engine.reload("sha256:seen-before-the-last-write");

    assertThat(reload.status()).isEqualTo(Status.SUPERSEDED);
    assertThat(compiler.calls.get()).isEqualTo(before);
    assertThat(engine.reload(PolicyFiles.read(dir).revision()).status()).isEqualTo(Status.ACTIVATED);
  }

  @Test
  void aDirectoryThatIsASymbolicLinkIsReadThroughItsCurrentTarget() throws IOException {
    Path v1 = Files.createDirectories(dir.resolve("releases/v1"));
    Path v2 = Files.createDirectories(dir.resolve("releases/v2"));
    Files.copy(TestPolicies.dir("basic").resolve("basic.drl"), v1.resolve("basic.drl"));
    Files.copy(TestPolicies.dir("basic").resolve("basic.drl"), v2.resolve("basic.drl"));
    Files.writeString(v2.resolve("extra.drl"), EXTRA);
    Path link = Files.createSymbolicLink(dir.resolve("policies"), Path.of("releases/v1"));
    PolicyEngine engine = new PolicyEngine(compiler, link);

    assertThat(engine.reload().status()).isEqualTo(Status.ACTIVATED);
    assertThat(engine.active().orElseThrow().files().files()).containsOnlyKeys("basic.drl");

    // ln -sfn releases/v2 policies.new && mv -T policies.new policies
    Path next = Files.createSymbolicLink(dir.resolve("policies.new"), Path.of("releases/v2"));
    Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    assertThat(engine.reload().status()).isEqualTo(Status.ACTIVATED);
    assertThat(engine.active().orElseThrow().revision()).isEqualTo(PolicyFiles.read(v2).revision());
    assertThat(engine.active().orElseThrow().files().files()).containsOnlyKeys("basic.drl", "extra.drl");
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
