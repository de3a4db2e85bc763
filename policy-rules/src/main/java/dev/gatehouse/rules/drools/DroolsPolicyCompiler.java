package dev.gatehouse.rules.drools;

import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyCompiler;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.RuleInfo;
import dev.gatehouse.rules.drools.sandbox.RuleSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;

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
 */
public final class DroolsPolicyCompiler implements PolicyCompiler {

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

  /** A compiler whose policy sets evaluate within {@code limits}. */
  public DroolsPolicyCompiler(EvaluationLimits limits) {
    this(limits, MAX_COMPILE_TIME);
  }

  /** A compiler whose policy sets evaluate within {@code limits} and which gives up on a set after {@code maxCompileTime}. */
  public DroolsPolicyCompiler(EvaluationLimits limits, Duration maxCompileTime) {
    this.kie = KieServices.Factory.get();
    this.limits = limits;
    this.maxCompileTime = maxCompileTime;
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
      return failed(List.of(error(largestFile(files), 1, 0, "the policy set did not compile within "
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
      DroolsPolicySet set = new DroolsPolicySet(files, List.copyOf(rules.values()), gateBases(container, rules), limits);
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
