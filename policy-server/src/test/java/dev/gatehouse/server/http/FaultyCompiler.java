package dev.gatehouse.server.http;

import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyCompiler;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real compiler, except for a set with a marker line in one of its files: {@link #OVERFLOW}
 * throws {@link StackOverflowError}, {@link #NPE} a {@link NullPointerException} (what the
 * compiler did on a deep rule and on an OOPath pattern), and {@link #BLOCK} waits until
 * {@link #release()} (a slow compile). The marker is a comment, so the same set compiles for real
 * without this compiler.
 */
final class FaultyCompiler implements PolicyCompiler {

  static final String OVERFLOW = "// test: overflow the stack";
  static final String NPE = "// test: throw a null pointer exception";
  static final String BLOCK = "// test: block until released";

  private final PolicyCompiler real = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT);
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger blocked = new AtomicInteger();

  @Override
  public CompileResult compile(PolicyFiles files) {
    if (marked(files, OVERFLOW)) {
      throw new StackOverflowError();
    }
    if (marked(files, NPE)) {
      throw new NullPointerException("Cannot invoke \"Object.toString()\" because \"pattern\" is null");
    }
    if (marked(files, BLOCK)) {
      blocked.incrementAndGet();
      try {
        // Bounded so a failing test cannot hang the build; tests release well before.
        if (!released.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a blocked compile was never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        blocked.decrementAndGet();
      }
    }
    return real.compile(files);
  }

  /** Lets every blocked compile, and every later one, go on. */
  void release() {
    released.countDown();
  }

  /** Compiles waiting in {@link #compile} for {@link #release()}. */
  int blocked() {
    return blocked.get();
  }

  private static boolean marked(PolicyFiles files, String marker) {
    return files.files().keySet().stream().anyMatch(path -> files.text(path).contains(marker));
  }
}
