package dev.gatehouse.rules.drools;

import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyCompiler;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.RuleInfo;
import dev.gatehouse.rules.drools.sandbox.RuleSandbox;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.base.definitions.InternalKnowledgePackage;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles rule files from memory with the Drools mvel build (no classpath, no kmodule.xml).
 *
 * <p>Every build gets its own release id and is removed from the Kie repository afterwards, so
 * repeated reloads neither race nor leak modules.
 *
 * <p>Before anything is built, the {@link RuleSandbox} checks every file against the allow-list of
 * what rules may use; a set with a refused file is not built at all, so every way in — {@code
 * gatehouse check}, reload, {@code POST /v1/policies/check}, replay against a candidate set — refuses
 * it the same way, and the active revision keeps serving.
 *
 * <p>With a {@link CompiledSetCache}, a revision compiled before is loaded from its entry instead:
 * the entry records that the sandbox passed exactly these sources, and the classes Drools compiled
 * from rule code are checked again ({@link RuleSandbox#checkCompiled}) before Drools defines any of
 * them. An entry that does not verify is ignored and the set compiled, sandbox included, and written
 * again.
 */
public final class DroolsPolicyCompiler implements PolicyCompiler {

  private static final Logger LOG = LoggerFactory.getLogger(DroolsPolicyCompiler.class);
  private static final String ROOT = "src/main/resources/";
  // Drools hides the column in the message text ("Line 12:23 no viable alternative..."); it reports 0 itself.
  private static final Pattern LINE_COLUMN = Pattern.compile("(?:\\[ERR \\d+\\] )?Line (\\d+):(\\d+) ");
  // Drools prefixes some texts with its own location, e.g. "[8] Unable to expand" or "[9,0]: ...".
  private static final Pattern LOCATION_PREFIX = Pattern.compile("^\\[\\d+(?:,\\d+)?\\]:?\\s*");
  private static final String NULL_PACKAGE = "Parser returned a null Package";

  private final KieServices kie;
  private final EvaluationLimits limits;
  private final RuleSandbox sandbox = new RuleSandbox(RuleActions.class);

  /** The longest a compile may take by default: the default set takes about a second cold. */
  public static final Duration MAX_COMPILE_TIME = Duration.ofSeconds(30);

  private final Duration maxCompileTime;
  private final CompiledSetCache cache;

  /** A compiler whose policy sets evaluate within {@code limits}. */
  public DroolsPolicyCompiler(EvaluationLimits limits) {
    this(limits, MAX_COMPILE_TIME);
  }

  /** A compiler whose policy sets evaluate within {@code limits} and which gives up on a set after {@code maxCompileTime}. */
  public DroolsPolicyCompiler(EvaluationLimits limits, Duration maxCompileTime) {
    this(limits, maxCompileTime, null);
  }

  /**
   * Like {@link #DroolsPolicyCompiler(EvaluationLimits, Duration)}, loading a revision compiled before
   * from {@code cache} and keeping every set it compiles there; a null {@code cache} keeps nothing.
   */
  public DroolsPolicyCompiler(EvaluationLimits limits, Duration maxCompileTime, CompiledSetCache cache) {
    this.kie = KieServices.Factory.get();
    this.limits = limits;
    this.maxCompileTime = maxCompileTime;
    this.cache = cache;
  }

  /** The cache this compiler loads compiled sets from and keeps them in, if it has one. */
  public Optional<CompiledSetCache> cache() {
    return Optional.ofNullable(cache);
  }

  /**
   * Compiles {@code files} within the compile-time bound. The compile runs on a thread of its own,
   * so that a set which takes too long is reported, not waited for; the sandbox's size bounds keep
   * what such a thread can still do afterwards small.
   */
  @Override
  public CompileResult compile(PolicyFiles files) {
    FutureTask<CompileResult> task = new FutureTask<>(() -> compileNow(files));
    Thread thread = new Thread(task, "gatehouse-policy-compile");
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get(maxCompileTime.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      thread.interrupt();
      return failed(List.of(error(largestFile(files), 1, 0, CompileResult.OUT_OF_TIME
          + maxCompileTime.toMillis() + " ms; this is its largest file: make the rules smaller or fewer")));
    } catch (ExecutionException e) {
      return crashed(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(List.of(error("", 0, 0, "the compile was interrupted")));
    }
  }

  private CompileResult compileNow(PolicyFiles files) {
    if (files.size() == 0) {
      return failed(List.of(error("", 0, 0, "no rule files (.drl, .dsl, .dslr) in the policy set")));
    }
    if (cache != null) {
      Optional<CompileResult> cached = cache.read(files).flatMap(entry -> load(files, entry));
      if (cached.isPresent()) {
        return cached.get();
      }
    }
    RuleSandbox.Report report;
    try {
      report = sandbox.check(files);
    } catch (RuntimeException | StackOverflowError e) {
      return crashed(e);
    }
    if (!report.violations().isEmpty()) {
      return failed(report.violations());
    }
    ReleaseId releaseId = kie.newReleaseId("dev.gatehouse.policies", "set-" + UUID.randomUUID(), "1.0.0");
    KieFileSystem fileSystem = kie.newKieFileSystem();
    fileSystem.generateAndWritePomXML(releaseId);
    files.files().forEach((path, bytes) ->
        fileSystem.write(ROOT + path, kie.getResources().newByteArrayResource(bytes)));
    try {
      KieBuilder builder = kie.newKieBuilder(fileSystem).buildAll();
      List<CompileIssue> issues = new ArrayList<>();
      for (Message message : builder.getResults().getMessages()) {
        issues.add(issue(message));
      }
      // "Parser returned a null Package" only repeats that the file had a syntax error.
      issues.removeIf(i -> i.message().equals(NULL_PACKAGE)
          && issues.stream().anyMatch(o -> o != i && o.file().equals(i.file())));
      if (issues.stream().anyMatch(i -> i.severity() == CompileIssue.Severity.ERROR)) {
        return failed(issues);
      }
      if (!report.unreadable().isEmpty()) {
        // Drools read a file the sandbox could not: what it built was never checked.
        return failed(report.unreadable());
      }
      KieContainer container = kie.newKieContainer(releaseId);
      Map<Rule, RuleInfo> rules = describeRules(container.getKieBase(), files);
      List<CompileIssue> compiled = sandbox.checkCompiled(container.getKieBase(), rules);
      if (!compiled.isEmpty()) {
        return failed(compiled);
      }
      Map<String, DroolsPolicySet.GateBase> bases = gateBases(container, rules);
      DroolsPolicySet set = new DroolsPolicySet(files, List.copyOf(rules.values()), bases, limits);
      if (cache != null) {
        keep(files, issues, rules, bases);
      }
      return new CompileResult(Optional.of(set), issues);
    } catch (RuntimeException | StackOverflowError e) {
      return crashed(e);
    } finally {
      kie.getRepository().removeKieModule(releaseId);
    }
  }

  /** A builder crash on odd input is still the input's problem: report it, never activate. */
  private static CompileResult crashed(Throwable e) {
    if (e instanceof VirtualMachineError fatal && !(fatal instanceof StackOverflowError)) {
      throw fatal;
    }
    String what = e instanceof StackOverflowError ? "nesting too deep" : oneLine(String.valueOf(e.getMessage()));
    return failed(List.of(error("", 0, 0, "the rule compiler failed: " + what)));
  }

  private static String largestFile(PolicyFiles files) {
    return files.files().entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().length))
        .map(Map.Entry::getKey).orElse("");
  }

  /**
   * One KieBase per gate holding only that gate's rules and the ungated ones. Why: Drools matches
   * the left-hand sides of every rule in a base, and an AgendaFilter only stops firing, so a base
   * with all gates spends most of a decision on rules that can never fire. Each base comes from
   * the already compiled module (no second compile); the container copies the packages for every
   * base after the first, so removing rules from one base leaves the others whole. Cost: one Rete
   * build per gate, about a quarter of a compile (measured ~27% of compile samples, 4 gates).
   * Removal leaves stale segment data behind (a Drools bug, see {@link EagerSegments}), which is
   * repaired before the base opens its first session.
   */
  private Map<String, DroolsPolicySet.GateBase> gateBases(KieContainer container, Map<Rule, RuleInfo> rules) {
    Map<String, RuleInfo> byId = new HashMap<>();
    SortedSet<String> gates = new TreeSet<>();
    rules.forEach((rule, info) -> {
      byId.put(ruleId(rule), info);
      gates.addAll(info.gates());
    });
    Map<String, DroolsPolicySet.GateBase> bases = new LinkedHashMap<>();
    for (String gate : gates) {
      KieBase base = container.newKieBase(kie.newKieBaseConfiguration());
      Map<Rule, RuleInfo> kept = new IdentityHashMap<>();
      for (KiePackage pkg : base.getKiePackages()) {
        for (Rule rule : List.copyOf(pkg.getRules())) {
          RuleInfo info = byId.get(ruleId(rule));
          if (info != null && (info.gates().isEmpty() || info.belongsTo(gate))) {
            kept.put(rule, info);
          } else {
            base.removeRule(pkg.getName(), rule.getName());
          }
        }
      }
      EagerSegments.recompute(base);
      bases.put(gate, new DroolsPolicySet.GateBase(base, kept));
    }
    return bases;
  }

  /**
   * Writes a set that passed every check to the cache: its warnings, its rules and each gate's
   * packages. A set that cannot be written is still used.
   */
  private void keep(PolicyFiles files, List<CompileIssue> issues, Map<Rule, RuleInfo> rules,
      Map<String, DroolsPolicySet.GateBase> bases) {
    try {
      List<CachedSet.StoredRule> stored = new ArrayList<>();
      rules.forEach((rule, info) -> stored.add(new CachedSet.StoredRule(rule.getPackageName(), info)));
      Map<String, Collection<KiePackage>> packages = new LinkedHashMap<>();
      Map<String, byte[]> gates = new LinkedHashMap<>();
      for (Map.Entry<String, DroolsPolicySet.GateBase> gate : bases.entrySet()) {
        packages.put(gate.getKey(), gate.getValue().base().getKiePackages());
        gates.put(gate.getKey(), PackageStreams.write(gate.getValue().base().getKiePackages()));
      }
      cache.write(new CachedSet(CompiledSetCache.key(files), CachedSet.PASSED, classesDigest(packages), issues,
          stored, gates));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot keep policy set {} in the compile cache: {}", files.revision(), e.toString());
    }
  }

  /**
   * The set a verified cache entry holds, or empty (the entry rejected, with why) when its compiled
   * classes fail the sandbox's bytecode check, do not match their digest, or do not load.
   */
  private Optional<CompileResult> load(PolicyFiles files, CachedSet entry) {
    try {
      Map<String, RuleInfo> byId = new HashMap<>();
      entry.rules().forEach(rule -> byId.put(rule.id(), rule.info()));
      Map<String, Collection<KiePackage>> packages = new LinkedHashMap<>();
      Map<Rule, RuleInfo> described = new IdentityHashMap<>();
      List<KiePackage> all = new ArrayList<>();
      for (Map.Entry<String, byte[]> gate : entry.gates().entrySet()) {
        List<InternalKnowledgePackage> read = PackageStreams.read(gate.getValue(), DroolsPolicyCompiler.class.getClassLoader());
        for (KiePackage pkg : read) {
          for (Rule rule : pkg.getRules()) {
            RuleInfo info = byId.get(ruleId(rule));
            if (info == null || !(info.gates().isEmpty() || info.belongsTo(gate.getKey()))) {
              cache.reject(entry.key(), "gate " + gate.getKey() + " holds a rule the entry does not list for it: " + rule.getName());
              return Optional.empty();
            }
            described.put(rule, info);
          }
        }
        packages.put(gate.getKey(), List.copyOf(read));
        all.addAll(read);
      }
      SortedSet<String> gates = new TreeSet<>();
      entry.rules().forEach(rule -> gates.addAll(rule.info().gates()));
      if (!gates.equals(new TreeSet<>(entry.gates().keySet()))) {
        cache.reject(entry.key(), "its gates are not the gates its rules name");
        return Optional.empty();
      }
      // Before any class is defined: what reaches the JVM is what the allow-list allows.
      List<CompileIssue> refused = sandbox.checkCompiled(all, described);
      if (!refused.isEmpty()) {
        cache.reject(entry.key(), "the sandbox refuses its compiled code: " + refused.get(0).describe());
        return Optional.empty();
      }
      if (!classesDigest(packages).equals(entry.classesDigest())) {
        cache.reject(entry.key(), "its compiled classes are not the ones it was written with");
        return Optional.empty();
      }
      Map<String, DroolsPolicySet.GateBase> bases = new LinkedHashMap<>();
      for (Map.Entry<String, Collection<KiePackage>> gate : packages.entrySet()) {
        InternalKnowledgeBase base = KnowledgeBaseFactory.newKnowledgeBase(kie.newKieBaseConfiguration());
        base.addPackages(gate.getValue());
        Map<Rule, RuleInfo> kept = new IdentityHashMap<>();
        for (KiePackage pkg : base.getKiePackages()) {
          for (Rule rule : pkg.getRules()) {
            kept.put(rule, byId.get(ruleId(rule)));
          }
        }
        bases.put(gate.getKey(), new DroolsPolicySet.GateBase(base, kept));
      }
      List<RuleInfo> rules = entry.rules().stream().map(CachedSet.StoredRule::info).toList();
      cache.used(entry);
      return Optional.of(new CompileResult(Optional.of(new DroolsPolicySet(files, rules, bases, limits)), entry.issues()));
    } catch (IOException | RuntimeException | LinkageError e) {
      cache.reject(entry.key(), "it does not load: " + oneLine(e.toString()));
      return Optional.empty();
    }
  }

  /** {@code sha256:} over each gate's name and {@link PackageStreams#classesDigest} of its packages. */
  private static String classesDigest(Map<String, Collection<KiePackage>> gates) {
    java.security.MessageDigest digest = PackageStreams.sha256();
    gates.forEach((gate, packages) -> {
      digest.update((gate + "\u0000" + PackageStreams.classesDigest(packages) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    });
    return "sha256:" + java.util.HexFormat.of().formatHex(digest.digest());
  }

  private static String ruleId(Rule rule) {
    return rule.getPackageName() + "\u0000" + rule.getName();
  }

  private static CompileResult failed(List<CompileIssue> issues) {
    return new CompileResult(Optional.empty(), issues);
  }

  private static CompileIssue issue(Message message) {
    String file = message.getPath() == null ? "" : message.getPath();
    if (file.startsWith(ROOT)) {
      file = file.substring(ROOT.length());
    }
    String text = LOCATION_PREFIX.matcher(oneLine(message.getText())).replaceFirst("");
    int line = Math.max(0, message.getLine());
    int column = Math.max(0, message.getColumn());
    Matcher located = LINE_COLUMN.matcher(text);
    if (located.find()) {
      if (line == 0) {
        line = Integer.parseInt(located.group(1));
      }
      column = column == 0 ? Integer.parseInt(located.group(2)) + 1 : column;
      text = (text.substring(0, located.start()) + text.substring(located.end())).strip();
    }
    CompileIssue.Severity severity = message.getLevel() == Message.Level.ERROR
        ? CompileIssue.Severity.ERROR
        : CompileIssue.Severity.WARNING;
    return new CompileIssue(file, line, column, severity, text);
  }

  private static CompileIssue error(String file, int line, int column, String message) {
    return new CompileIssue(file, line, column, CompileIssue.Severity.ERROR, message);
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static Map<Rule, RuleInfo> describeRules(KieBase base, PolicyFiles files) {
    List<Map.Entry<Rule, RuleInfo>> entries = new ArrayList<>();
    for (KiePackage pkg : base.getKiePackages()) {
      for (Rule rule : pkg.getRules()) {
        entries.add(Map.entry(rule, describe(rule, files)));
      }
    }
    entries.sort(Comparator.comparing((Map.Entry<Rule, RuleInfo> e) -> e.getValue().file())
        .thenComparingInt(e -> e.getValue().line())
        .thenComparing(e -> e.getValue().name()));
    Map<Rule, RuleInfo> rules = new LinkedHashMap<>();
    entries.forEach(e -> rules.put(e.getKey(), e.getValue()));
    return rules;
  }

  private static RuleInfo describe(Rule rule, PolicyFiles files) {
    String file = sourceFile(rule);
    Map<String, String> metadata = new LinkedHashMap<>();
    // Drools files some annotations under its own type names (@description becomes
    // org.kie.api.definition.type.Description): authors wrote the short name, so keep that.
    rule.getMetaData().forEach((key, value) -> metadata.put(shortName(key), unquote(String.valueOf(value))));
    List<String> gates = metadata.containsKey("gate")
        ? Arrays.stream(metadata.get("gate").split(",")).map(String::strip).filter(g -> !g.isEmpty()).toList()
        : List.of();
    String text = files.text(file);
    int line = headerLine(text, rule.getName());
    return new RuleInfo(
        rule.getName(), file, line, gates, metadata.get("code"), metadata.get("description"), metadata,
        ruleText(text, line), bound(rule));
  }

  /**
   * The names the rule's conditions bind and their declared types, as {@link RuleActions} looks
   * them up when it renders a message: {@code [issue]} is {@code $issue}, else {@code issue}.
   * Names bound inside {@code not}, {@code exists} or {@code accumulate} are not visible there, nor here.
   */
  static Map<String, Class<?>> bound(Rule rule) {
    Map<String, Class<?>> bound = new HashMap<>();
    if (rule instanceof RuleImpl impl) {
      impl.getDeclarations().forEach((id, declaration) -> {
        Class<?> type = declaration.getDeclarationClass() == null ? Object.class : declaration.getDeclarationClass();
        if (id.startsWith("$")) {
          bound.put(id.substring(1), type);
        } else {
          bound.putIfAbsent(id, type);
        }
      });
    }
    return bound;
  }

  /** The rule's file: Drools keeps it only on its internal rule type, so it is read in this one place. */
  static String sourceFile(Rule rule) {
    if (rule instanceof RuleImpl impl && impl.getResource() != null && impl.getResource().getSourcePath() != null) {
      String path = impl.getResource().getSourcePath();
      return path.startsWith(ROOT) ? path.substring(ROOT.length()) : path;
    }
    return "";
  }

  /**
   * The line of {@code rule "name"} in the file as the author wrote it. Drools does not keep the
   * line on the compiled rule; rule headers are never DSL-expanded, so the author's file has it.
   */
  static int headerLine(String text, String name) {
    Pattern header = Pattern.compile(
        "^\\s*rule\\s+(?:\"" + Pattern.quote(name) + "\"|'" + Pattern.quote(name) + "'|" + Pattern.quote(name) + "(?=\\s|$))");
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      if (header.matcher(lines[i]).find()) {
        return i + 1;
      }
    }
    return 0;
  }

  /** The lines from the rule's header to the first line that is just {@code end}. */
  static String ruleText(String text, int headerLine) {
    if (headerLine == 0) {
      return "";
    }
    String[] lines = text.split("\\R", -1);
    StringBuilder rule = new StringBuilder();
    for (int i = headerLine - 1; i < lines.length; i++) {
      rule.append(lines[i]).append('\n');
      if (lines[i].strip().equals("end")) {
        break;
      }
    }
    return rule.toString();
  }

  private static String shortName(String key) {
    return key.contains(".") ? key.substring(key.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT) : key;
  }

  private static String unquote(String value) {
    String v = value.strip();
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }
}
