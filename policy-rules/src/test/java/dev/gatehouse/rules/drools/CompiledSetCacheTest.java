package dev.gatehouse.rules.drools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Decision;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.PolicySet;
import dev.gatehouse.rules.testing.PolicyTestCase;
import dev.gatehouse.rules.testing.PolicyTestLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile cache: a revision compiled once is loaded, not compiled, and decides exactly as a
 * fresh compile does; an entry that is damaged, foreign or planted is ignored and rebuilt.
 */
class CompiledSetCacheTest {

  static final Path POLICIES = Path.of(System.getProperty("gatehouse.policies", "../policies"));
  static PolicyFiles bundled;
  static PolicySet fresh;

  @BeforeAll
  static void compileWithoutCache() throws IOException {
    bundled = PolicyFiles.read(POLICIES);
    fresh = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(bundled).policySet().orElseThrow();
  }

  static DroolsPolicyCompiler compiler(CompiledSetCache cache) {
    return new DroolsPolicyCompiler(EvaluationLimits.DEFAULT, DroolsPolicyCompiler.MAX_COMPILE_TIME, cache);
  }

  static Path onlyEntry(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> all = entries.filter(p -> p.toString().endsWith(CompiledSetCache.SUFFIX)).toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }

  @Test
  void thisBuildKeysItsEntries() {
    assertThat(CompiledSetCache.available()).as("build.properties is filtered by the build").isTrue();
  }

  @Test
  void aRevisionCompiledOnceIsLoadedAfterwardsAndDecidesEveryPolicyTestAsAFreshCompile(@TempDir Path dir)
      throws Exception {
    CompiledSetCache cache = CompiledSetCache.in(dir.resolve("cache"));

    CompileResult first = compiler(cache).compile(bundled);
    assertThat(cache.counts()).isEqualTo(new CompiledSetCache.Counts(0, 1, 0, 1));
    CompiledSetCache again = CompiledSetCache.in(dir.resolve("cache"));
    CompileResult second = compiler(again).compile(bundled);

    assertThat(again.counts()).as("loaded, not compiled").isEqualTo(new CompiledSetCache.Counts(1, 0, 0, 0));
    PolicySet cached = second.policySet().orElseThrow();
    assertThat(second.issues()).isEqualTo(first.issues());
    assertThat(cached.revision()).isEqualTo(fresh.revision());
    assertThat(cached.gates()).isEqualTo(fresh.gates());
    assertThat(cached.rules()).isEqualTo(fresh.rules());
    List<PolicyTestCase> cases = new PolicyTestLoader().load(POLICIES.resolve("tests"));
    assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
    for (PolicyTestCase c : cases) {
      Decision expected = fresh.evaluate(c.request());
      Decision actual = cached.evaluate(c.request());
      assertThat(actual.identified(expected.decisionId(), expected.workspace()))
          .as(c.displayName())
          .usingRecursiveComparison().ignoringFields("durationMicros").isEqualTo(expected);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"basic", "broken", "loop", "shared-prefix", "slow", "throws"})
  void everyTestPolicySetLoadsAsItCompiles(String name, @TempDir Path dir) throws Exception {
    PolicyFiles files = PolicyFiles.read(Path.of(getClass().getResource("/policies/" + name).toURI()));
    CompileResult compiled = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT).compile(files);
    compiler(CompiledSetCache.in(dir)).compile(files);
    CompiledSetCache reading = CompiledSetCache.in(dir);

    CompileResult loaded = compiler(reading).compile(files);

    assertThat(loaded.issues()).isEqualTo(compiled.issues());
    assertThat(loaded.succeeded()).isEqualTo(compiled.succeeded());
    if (compiled.succeeded()) {
      assertThat(reading.counts().hits()).isEqualTo(1);
      assertThat(loaded.policySet().orElseThrow().rules()).isEqualTo(compiled.policySet().orElseThrow().rules());
      assertThat(loaded.policySet().orElseThrow().gates()).isEqualTo(compiled.policySet().orElseThrow().gates());
    } else {
      assertThat(reading.counts()).as("a set that does not compile is compiled each time")
          .isEqualTo(new CompiledSetCache.Counts(0, 1, 0, 0));
    }
  }

  @Test
  void aGateWhoseSharedJoinLostItsOtherRuleDecidesFromTheCacheToo(@TempDir Path dir) throws Exception {
    // GateBasesTest's case: the first decision on merge must not fail on a stale segment.
    PolicyFiles files = PolicyFiles.read(Path.of(getClass().getResource("/policies/shared-prefix").toURI()));
    compiler(CompiledSetCache.in(dir)).compile(files);
    CompiledSetCache reading = CompiledSetCache.in(dir);
    PolicySet set = compiler(reading).compile(files).policySet().orElseThrow();
    String request = """
        {"gate": "merge", "subject": "I-1", "at": "2026-06-02T10:00:00Z", "actor": "cto-harness",
         "facts": {"issues": [{"id": "I-1", "type": "HITL", "status": "candidate"}]}}
        """;

    Decision first = set.evaluate(new dev.gatehouse.model.json.RequestReader().readRequest(request.getBytes(StandardCharsets.UTF_8)));

    assertThat(reading.counts().hits()).isEqualTo(1);
    assertThat(first.denyCodes()).containsExactly("evidence-missing");
  }

  @Test
  void aCorruptEntryIsIgnoredAndRebuilt(@TempDir Path dir) throws Exception {
    CompiledSetCache cache = CompiledSetCache.in(dir);
    compiler(cache).compile(bundled);
    Path entry = onlyEntry(dir);
    byte[] bytes = Files.readAllBytes(entry);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(entry, bytes);

    CompiledSetCache reading = CompiledSetCache.in(dir);
    CompileResult result = compiler(reading).compile(bundled);

    assertThat(result.succeeded()).isTrue();
    assertThat(reading.counts()).isEqualTo(new CompiledSetCache.Counts(0, 0, 1, 1));
    CompiledSetCache afterwards = CompiledSetCache.in(dir);
    compiler(afterwards).compile(bundled);
    assertThat(afterwards.counts().hits()).as("the rebuilt entry is used").isEqualTo(1);
  }

  @Test
  void aTruncatedOrEmptyEntryIsIgnoredAndRebuilt(@TempDir Path dir) throws Exception {
    compiler(CompiledSetCache.in(dir)).compile(bundled);
    Path entry = onlyEntry(dir);
    byte[] bytes = Files.readAllBytes(entry);
    for (byte[] damaged : List.of(java.util.Arrays.copyOf(bytes, bytes.length - 1), new byte[0])) {
      Files.write(entry, damaged);
      CompiledSetCache reading = CompiledSetCache.in(dir);

      assertThat(compiler(reading).compile(bundled).succeeded()).isTrue();
      assertThat(reading.counts()).isEqualTo(new CompiledSetCache.Counts(0, 0, 1, 1));
    }
  }

  @Test
  void anEntryOfAnotherRevisionOrBuildIsIgnoredAndRebuilt(@TempDir Path dir) throws Exception {
    CompiledSetCache cache = CompiledSetCache.in(dir);
    compiler(cache).compile(bundled);
    Path entry = onlyEntry(dir);
    CachedSet stored = CachedSet.decode(Files.readAllBytes(entry));
    CachedSet.Key key = stored.key();
    List<CachedSet.Key> foreign = List.of(
        new CachedSet.Key("sha256:" + "0".repeat(64), key.gatehouse(), key.drools(), key.jvm()),
        new CachedSet.Key(key.revision(), "0.0.1 built 2001-01-01T00:00:00.000Z", key.drools(), key.jvm()),
        new CachedSet.Key(key.revision(), key.gatehouse(), "7.74.1.Final", key.jvm()),
        new CachedSet.Key(key.revision(), key.gatehouse(), key.drools(), "Other VM 1.0"));
    for (CachedSet.Key other : foreign) {
      // Well formed, its digest right: only what it was compiled from or by differs.
      Files.write(entry, new CachedSet(other, stored.verdict(), stored.classesDigest(), stored.issues(),
          stored.rules(), stored.gates()).encode());
      CompiledSetCache reading = CompiledSetCache.in(dir);

      assertThat(compiler(reading).compile(bundled).succeeded()).isTrue();

      assertThat(reading.counts()).as(other.toString()).isEqualTo(new CompiledSetCache.Counts(0, 0, 1, 1));
      assertThat(CachedSet.decode(Files.readAllBytes(entry)).key()).isEqualTo(key);
    }
  }

  @Test
  void anEntryWithoutTheSandboxsVerdictIsIgnored(@TempDir Path dir) throws Exception {
    compiler(CompiledSetCache.in(dir)).compile(bundled);
    Path entry = onlyEntry(dir);
    CachedSet stored = CachedSet.decode(Files.readAllBytes(entry));
    Files.write(entry, new CachedSet(stored.key(), "sandbox-skipped", stored.classesDigest(), stored.issues(),
        stored.rules(), stored.gates()).encode());
    CompiledSetCache reading = CompiledSetCache.in(dir);

    compiler(reading).compile(bundled);

    assertThat(reading.counts()).isEqualTo(new CompiledSetCache.Counts(0, 0, 1, 1));
  }

  @Test
  void compiledCodeTheSandboxRefusesIsNotLoadedFromAnEntryWhoseDigestsAreRight(@TempDir Path dir) throws Exception {
    // A planted entry: valid digests, the right key, but a rule class that calls System.exit. The
    // bytecode check runs on the stored bytes before Drools defines a class, so it never runs.
    compiler(CompiledSetCache.in(dir)).compile(bundled);
    Path entry = onlyEntry(dir);
    CachedSet stored = CachedSet.decode(Files.readAllBytes(entry));
    Map<String, byte[]> gates = new TreeMap<>(stored.gates());
    String gate = gates.keySet().iterator().next();
    var packages = PackageStreams.read(gates.get(gate), getClass().getClassLoader());
    Map<String, byte[]> store = packages.stream()
        .map(p -> p.getDialectRuntimeRegistry().getDialectData("java"))
        .filter(org.drools.core.rule.JavaDialectRuntimeData.class::isInstance)
        .map(d -> ((org.drools.core.rule.JavaDialectRuntimeData) d).getStore())
        .filter(s -> s.keySet().stream().anyMatch(n -> n.contains("Rule_")))
        .findFirst().orElseThrow();
    String victim = store.keySet().stream().filter(n -> n.contains("Rule_")).sorted().findFirst().orElseThrow();
    store.put(victim, Exits.bytes());
    gates.put(gate, PackageStreams.write(packages));
    Map<String, java.util.Collection<org.kie.api.definition.KiePackage>> all = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, byte[]> g : stored.gates().entrySet()) {
      all.put(g.getKey(), List.copyOf(PackageStreams.read(g.getKey().equals(gate) ? gates.get(gate) : g.getValue(),
          getClass().getClassLoader())));
    }
    Map<String, byte[]> ordered = new java.util.LinkedHashMap<>();
    stored.gates().keySet().forEach(g -> ordered.put(g, gates.get(g)));
    Files.write(entry, new CachedSet(stored.key(), stored.verdict(), digest(all), stored.issues(), stored.rules(),
        ordered).encode());
    CompiledSetCache reading = CompiledSetCache.in(dir);

    CompileResult result = compiler(reading).compile(bundled);

    assertThat(result.succeeded()).as("compiled from source instead").isTrue();
    assertThat(reading.counts()).isEqualTo(new CompiledSetCache.Counts(0, 0, 1, 1));
  }

  @Test
  void aDirectoryOthersMayWriteIsNotUsed(@TempDir Path dir) throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    CompiledSetCache cache = CompiledSetCache.in(shared);

    assertThat(compiler(cache).compile(bundled).succeeded()).isTrue();
    assertThat(compiler(cache).compile(bundled).succeeded()).isTrue();

    assertThat(cache.counts().hits()).isZero();
    assertThat(cache.counts().written()).isZero();
    try (Stream<Path> files = Files.list(shared)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void anEntryOthersMayWriteIsNotUsed(@TempDir Path dir) throws Exception {
    compiler(CompiledSetCache.in(dir)).compile(bundled);
    Files.setPosixFilePermissions(onlyEntry(dir), PosixFilePermissions.fromString("rw-rw-rw-"));
    CompiledSetCache reading = CompiledSetCache.in(dir);

    compiler(reading).compile(bundled);

    assertThat(reading.counts()).isEqualTo(new CompiledSetCache.Counts(0, 0, 1, 1));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(onlyEntry(dir)))).isEqualTo("rw-------");
  }

  @Test
  void theDirectoryIsCreatedForThisUserOnly(@TempDir Path dir) throws Exception {
    Path cacheDir = dir.resolve("a/b");

    compiler(CompiledSetCache.in(cacheDir)).compile(bundled);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(onlyEntry(cacheDir)))).isEqualTo("rw-------");
  }

  @Test
  void aSetThatDoesNotCompileIsNotKept(@TempDir Path dir) throws Exception {
    CompiledSetCache cache = CompiledSetCache.in(dir.resolve("cache"));
    PolicyFiles broken = PolicyFiles.of(Map.of("broken.drl",
        "package gatehouse.x\nrule \"r\" when\n  eval(System.exit(0) == null)\nthen\nend\n".getBytes(StandardCharsets.UTF_8)));

    CompileResult result = compiler(cache).compile(broken);

    assertThat(result.succeeded()).isFalse();
    assertThat(cache.counts().written()).isZero();
    assertThat(Files.exists(dir.resolve("cache"))).isFalse();
  }

  @Test
  void theLeastRecentlyUsedEntriesGoBeyondTheLimit(@TempDir Path dir) throws Exception {
    for (int i = 0; i < CompiledSetCache.MAX_ENTRIES + 2; i++) {
      Path old = Files.write(dir.resolve("old-" + i + CompiledSetCache.SUFFIX), new byte[] {1});
      Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
    }

    compiler(CompiledSetCache.in(dir)).compile(bundled);

    try (Stream<Path> entries = Files.list(dir)) {
      assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(CompiledSetCache.SUFFIX)))
          .hasSize(CompiledSetCache.MAX_ENTRIES)
          .doesNotContain("old-0" + CompiledSetCache.SUFFIX, "old-1" + CompiledSetCache.SUFFIX, "old-2" + CompiledSetCache.SUFFIX)
          .contains("old-3" + CompiledSetCache.SUFFIX);
    }
  }

  private static String digest(Map<String, java.util.Collection<org.kie.api.definition.KiePackage>> gates) throws Exception {
    var method = DroolsPolicyCompiler.class.getDeclaredMethod("classesDigest", Map.class);
    method.setAccessible(true);
    return (String) method.invoke(null, gates);
  }

  /** A class file whose one method calls System.exit: what a planted entry would carry. */
  static final class Exits {
    static byte[] bytes() {
      org.objectweb.asm.ClassWriter writer = new org.objectweb.asm.ClassWriter(org.objectweb.asm.ClassWriter.COMPUTE_MAXS);
      writer.visit(org.objectweb.asm.Opcodes.V17, org.objectweb.asm.Opcodes.ACC_PUBLIC, "Planted", null,
          "java/lang/Object", null);
      var method = writer.visitMethod(org.objectweb.asm.Opcodes.ACC_PUBLIC | org.objectweb.asm.Opcodes.ACC_STATIC,
          "run", "()V", null, null);
      method.visitCode();
      method.visitInsn(org.objectweb.asm.Opcodes.ICONST_0);
      method.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKESTATIC, "java/lang/System", "exit", "(I)V", false);
      method.visitInsn(org.objectweb.asm.Opcodes.RETURN);
      method.visitMaxs(0, 0);
      method.visitEnd();
      writer.visitEnd();
      return writer.toByteArray();
    }
  }
}
