package dev.gatehouse.rules.drools.sandbox;

import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.RuleInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AnnotatedBaseDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.ForallDescr;
import org.drools.drl.ast.descr.FromDescr;
import org.drools.drl.ast.descr.FunctionImportDescr;
import org.drools.drl.ast.descr.GroupByDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.MVELExprDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.PatternSourceDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

/**
 * Refuses rule files that reach beyond deciding. Each {@code .drl} file, and each {@code .dslr} file
 * after the same DSL expansion the builder applies, is parsed with the Drools DRL parser; the
 * resulting package is walked against an allow-list ({@link AllowList}):
 *
 * <ul>
 *   <li>annotation values ({@code @code("…")}) are plain text: Drools evaluates them with MVEL
 *       while building, so anything else would run at compile time;
 *   <li>imports name allowed classes; function imports name {@code RuleActions.deny/warn} or a
 *       rule function; {@code global}, {@code function}, {@code declare}, {@code query}, entry
 *       points, windows, accumulate imports, timers and calendars are refused outright;
 *   <li>every pattern's fact type is allowed; every constraint, {@code from} source, {@code eval},
 *       accumulate argument and dynamic {@code salience}/{@code enabled} is parsed and each name
 *       followed to the class, method or field it means ({@link ExpressionChecker}); accumulate
 *       with inline {@code init/action/result} code is refused;
 *   <li>a consequence may only call {@code deny(kcontext, …)} and {@code warn(kcontext, …)}: no
 *       {@code insert}, {@code update}, {@code modify}, {@code retract}, and no other code.
 * </ul>
 *
 * <p>The check follows names, not spelling: {@code System}, {@code java.lang.System}, an import of
 * it, or {@code \u0053ystem} all resolve to the same class and are refused the same way. Rules are
 * checked before Drools builds anything, so a refused file never reaches the compiler.
 */
public final class RuleSandbox {

  /**
   * What the sandbox found.
   *
   * @param violations code the allow-list refuses, as compile errors
   * @param unreadable files the DRL parser could not read; the builder reports their syntax errors,
   *     and a set that builds although the sandbox could not read it is refused all the same
   */
  public record Report(List<CompileIssue> violations, List<CompileIssue> unreadable) {}

  // Not date-effective or date-expires: Drools compares them with the clock, and rules decide by
  // the request's "at" only, so that a replay decides the same way.
  private static final Set<String> ATTRIBUTES = Set.of(
      "salience", "no-loop", "lock-on-active", "agenda-group", "activation-group", "ruleflow-group",
      "auto-focus", "dialect", "enabled");
  private static final Set<String> EXPRESSION_ATTRIBUTES = Set.of("salience", "enabled");
  private static final Map<String, Class<?>> ACCUMULATE_FUNCTIONS = Map.of(
      "count", Long.class, "sum", Number.class, "average", Number.class, "min", Object.class,
      "max", Object.class, "collectList", List.class, "collectSet", Set.class);
  private static final String FUNCTIONS_PACKAGE = "dev.gatehouse.rules.functions";
  // The default DSL's longest sentence expands to about 300 characters.
  private static final int MAX_SENTENCE_CHARS = 2_048;

  private final ClassLoader loader = RuleSandbox.class.getClassLoader();
  private final Class<?> actions;
  private final CompiledClasses compiledClasses;

  /**
   * A sandbox whose consequences may call {@code deny} and {@code warn} of {@code actions} (passed
   * in, not imported: the engine that owns them depends on the sandbox, not the other way).
   */
  public RuleSandbox(Class<?> actions) {
    this.actions = actions;
    this.compiledClasses = new CompiledClasses(actions);
  }

  /**
   * Checks every file of {@code files}: first each file's text ({@link SourceText}: no unicode
   * escapes, bounded nesting and size), then the DSL's sentences and how far they may grow a line,
   * then every {@code .drl} and expanded {@code .dslr} file as parsed code.
   */
  public Report check(PolicyFiles files) {
    List<CompileIssue> violations = new ArrayList<>();
    List<CompileIssue> unreadable = new ArrayList<>();
    for (String path : files.files().keySet()) {
      violations.addAll(SourceText.check(path, files.text(path)));
    }
    if (!violations.isEmpty()) {
      // A file the compiler and a reviewer could read differently is not parsed any further.
      return new Report(violations, unreadable);
    }
    DslExpansion dsl = DslExpansion.of(files);
    if (dsl.tooManyFiles()) {
      violations.add(new CompileIssue("", 0, 0, CompileIssue.Severity.ERROR, "more than " + DslExpansion.MAX_FILES
          + " .dsl files: the sandbox checks that every order of them expands a rule the same way"));
      return new Report(violations, unreadable);
    }
    for (DslExpansion.Sentence sentence : dsl.sentences()) {
      if (sentence.expansion().length() > MAX_SENTENCE_CHARS) {
        violations.add(SourceText.error(sentence.file(), Math.max(sentence.line(), 1), 1, "the sentence '"
            + sentence.sentence() + "' expands to " + sentence.expansion().length() + " characters; at most "
            + MAX_SENTENCE_CHARS + " are allowed"));
      }
    }
    if (!violations.isEmpty()) {
      return new Report(violations, unreadable);
    }
    for (String path : files.files().keySet()) {
      if (!path.endsWith(".dsl")) {
        checkRules(path, files.text(path), dsl, violations, unreadable);
      }
    }
    return new Report(violations, unreadable);
  }

  /**
   * The second check, after Drools has built {@code base}: every reference of the classes it
   * compiled from rule code must be on the allow-list ({@link CompiledClasses}). Each refusal names
   * the rule's file and header line from {@code rules}.
   */
  public List<CompileIssue> checkCompiled(KieBase base, Map<Rule, RuleInfo> rules) {
    return checkCompiled(base.getKiePackages(), rules);
  }

  /**
   * The same check on packages that no base holds yet, e.g. read back from the compile cache: only
   * their stored class bytes are read, so a class the allow-list refuses is found before Drools
   * defines or runs it.
   */
  public List<CompileIssue> checkCompiled(Collection<? extends KiePackage> packages, Map<Rule, RuleInfo> rules) {
    List<CompileIssue> issues = new ArrayList<>();
    for (CompiledClasses.Finding finding : compiledClasses.check(packages)) {
      Optional<RuleInfo> rule = finding.rule().map(rules::get);
      String what = rule.map(r -> "rule '" + r.name() + "'").orElse("the compiled class " + finding.className());
      issues.add(new CompileIssue(rule.map(RuleInfo::file).orElse(""), rule.map(RuleInfo::line).orElse(0),
          rule.isPresent() ? 1 : 0, CompileIssue.Severity.ERROR,
          what + " compiles to code that uses '" + finding.reference() + "', which is not allowed in rules: " + AllowList.WHY));
    }
    return issues;
  }

  private void checkRules(String path, String written, DslExpansion dsl, List<CompileIssue> violations,
      List<CompileIssue> unreadable) {
    String text = written;
    if (path.endsWith(".dslr")) {
      int growing = dsl.firstLineGrowingPast(written, SourceText.MAX_LINE_CHARS);
      if (growing > 0) {
        violations.add(SourceText.error(path, growing, 1, "this line grows past " + SourceText.MAX_LINE_CHARS
            + " characters when the DSL expands it: a sentence expands into more sentences"));
        return;
      }
      text = dsl.expand(written);
      // The expansion is what the compiler reads: it may hold an escape built from two pieces.
      List<CompileIssue> expanded = SourceText.check(path, text);
      if (!expanded.isEmpty()) {
        violations.addAll(expanded);
        return;
      }
      int line = dsl.firstOrderDependentLine(written);
      if (line > 0) {
        violations.add(new CompileIssue(path, line, 1, CompileIssue.Severity.ERROR,
            "this line expands differently depending on the order of the .dsl files: give each sentence one meaning"));
        return;
      }
    }
    DrlParser parser = new DrlParser();
    PackageDescr pkg;
    try {
      pkg = parser.parse(false, text);
    } catch (DroolsParserException | RuntimeException | StackOverflowError e) {
      pkg = null;
    }
    if (pkg == null || parser.hasErrors()) {
      unreadable.add(new CompileIssue(path, 0, 0, CompileIssue.Severity.ERROR,
          "the rule sandbox could not read this file, so it is not allowed"));
      return;
    }
    new FileCheck(path, text.split("\\R", -1), violations).check(pkg);
  }

  /** The walk over one file's package; collects one violation per refused piece of code. */
  private final class FileCheck {

    private final String file;
    private final String[] lines;
    private final List<CompileIssue> violations;
    private Scope fileScope;

    FileCheck(String file, String[] lines, List<CompileIssue> violations) {
      this.file = file;
      this.lines = lines;
      this.violations = violations;
    }

    void check(PackageDescr pkg) {
      fileScope = Scope.forFile(loader, pkg.getName());
      for (ImportDescr imported : pkg.getImports()) {
        importClass(imported);
      }
      for (FunctionImportDescr function : pkg.getFunctionImports()) {
        importFunction(function);
      }
      pkg.getGlobals().forEach(g -> refuse(g, "global '" + g.getIdentifier() + "'"));
      pkg.getFunctions().forEach(f -> refuse(f, "function '" + f.getName() + "'"));
      pkg.getTypeDeclarations().forEach(t -> refuse(t, "declare '" + t.getTypeName() + "'"));
      pkg.getEnumDeclarations().forEach(t -> refuse(t, "declare enum '" + t.getTypeName() + "'"));
      pkg.getEntryPointDeclarations().forEach(e -> refuse(e, "entry point '" + e.getEntryPointId() + "'"));
      pkg.getWindowDeclarations().forEach(w -> refuse(w, "window '" + w.getName() + "'"));
      pkg.getAccumulateImports().forEach(a -> refuse(a, "import accumulate '" + a.getFunctionName() + "'"));
      if (pkg.getUnit() != null) {
        refuse(pkg.getUnit(), "unit '" + pkg.getUnit().getTarget() + "'");
      }
      for (AttributeDescr attribute : pkg.getAttributes()) {
        attribute(attribute, fileScope, attribute);
      }
      for (RuleDescr rule : pkg.getRules()) {
        if (rule.isQuery()) {
          refuse(rule, "query '" + rule.getName() + "'");
        } else {
          rule(rule);
        }
      }
    }

    private void importClass(ImportDescr imported) {
      String target = imported.getTarget();
      if (target.endsWith(".*")) {
        String pkg = target.substring(0, target.length() - 2);
        if (AllowList.WILDCARD_IMPORTS.contains(pkg)) {
          fileScope.importPackage(pkg);
        } else {
          refuse(imported, "'" + pkg + "'");
        }
        return;
      }
      Optional<Class<?>> type = fileScope.load(target);
      if (type.isPresent() && AllowList.allows(type.get())) {
        fileScope.importClass(type.get());
      } else if (type.isPresent() || !target.startsWith("dev.gatehouse.model.")) {
        // An unknown class outside the fact model is refused: it cannot be shown to be harmless.
        refuse(imported, "'" + target + "'");
      }
    }

    private void importFunction(FunctionImportDescr function) {
      String target = function.getTarget();
      int dot = target.lastIndexOf('.');
      String owner = dot < 0 ? "" : target.substring(0, dot);
      String name = target.substring(dot + 1);
      Optional<Class<?>> type = fileScope.load(owner);
      boolean action = type.isPresent() && type.get() == actions && (name.equals("deny") || name.equals("warn"));
      boolean helper = type.isPresent() && type.get().getPackageName().equals(FUNCTIONS_PACKAGE);
      if (action || helper) {
        fileScope.importFunction(name, type.get());
      } else {
        refuse(function, "'" + target + "'");
      }
    }

    private void rule(RuleDescr rule) {
      Scope scope = fileScope.forRule();
      annotations(rule);
      conditions(rule.getLhs(), scope);
      for (AttributeDescr attribute : rule.getAttributes().values()) {
        attribute(attribute, scope, rule);
      }
      if (!rule.getNamedConsequences().isEmpty()) {
        refuse(rule, "named consequence '" + rule.getNamedConsequences().keySet().iterator().next() + "'");
      }
      Object consequence = rule.getConsequence();
      if (consequence != null) {
        // The consequence starts on the line after "then", at that line's first non-blank character.
        int line = rule.getConsequenceLine() + 1;
        code(line, indentation(line), () ->
            new ExpressionChecker(String.valueOf(consequence), scope, null, actions).consequence());
      }
    }

    private void attribute(AttributeDescr attribute, Scope scope, BaseDescr owner) {
      String name = attribute.getName();
      if (!ATTRIBUTES.contains(name)) {
        refuse(owner, "rule attribute '" + name + "'");
      } else if (EXPRESSION_ATTRIBUTES.contains(name) && attribute.getValue() != null) {
        BaseDescr at = attribute.getLine() > 0 ? attribute : owner;
        code(at.getLine(), 0, () ->
            new ExpressionChecker(attribute.getValue(), scope, null, actions).wholeExpression());
      }
    }

    private void conditions(BaseDescr descr, Scope scope) {
      if (descr instanceof PatternDescr pattern) {
        pattern(pattern, scope);
      } else if (descr instanceof EvalDescr eval) {
        code(eval.getLine(), eval.getColumn(), () ->
            new ExpressionChecker(String.valueOf(eval.getContent()), scope, null, actions).wholeExpression());
      } else if (descr instanceof AndDescr || descr instanceof OrDescr || descr instanceof NotDescr
          || descr instanceof ExistsDescr || descr instanceof ForallDescr) {
        for (Object child : ((ConditionalElementDescr) descr).getDescrs()) {
          conditions((BaseDescr) child, scope);
        }
      } else {
        refuse(descr, "'" + describe(descr) + "'");
      }
    }

    /**
     * Drools evaluates annotation values with MVEL while it builds, so they are held to plain text:
     * one string, number or word that names no class.
     */
    private void annotations(AnnotatedBaseDescr descr) {
      for (AnnotationDescr annotation : descr.getAnnotations()) {
        for (Object value : annotation.getValueMap().values()) {
          Object[] values = value instanceof Object[] array ? array : new Object[] {value};
          for (Object single : values) {
            if (!plainText(String.valueOf(single))) {
              refuse(descr, "the value of @" + annotation.getName() + " '" + single + "' (only text)");
            }
          }
        }
      }
    }

    private boolean plainText(String value) {
      List<Token> tokens;
      try {
        tokens = Token.lex(value);
      } catch (Refusal e) {
        return false;
      }
      if (tokens.size() != 2) {
        return tokens.size() == 1;
      }
      Token only = tokens.get(0);
      return only.kind() == Token.Kind.STRING || only.kind() == Token.Kind.NUMBER
          || only.kind() == Token.Kind.NAME && fileScope.type(only.text()).isEmpty();
    }

    private void pattern(PatternDescr pattern, Scope scope) {
      annotations(pattern);
      if (!pattern.getBehaviors().isEmpty()) {
        refuse(pattern, "a sliding window");
      }
      PatternSourceDescr source = pattern.getSource();
      if (source != null) {
        source(source, pattern, scope);
      }
      if (pattern.getObjectType() == null) {
        // An OOPath (/issues[...]) names no fact type: Drools walks object graphs it chooses itself.
        refuse(pattern, "OOPath");
        return;
      }
      Optional<Class<?>> type = fileScope.type(pattern.getObjectType());
      if (type.isEmpty()) {
        // Drools could still find it (through another file's imports): unchecked, it is refused.
        violations.add(new CompileIssue(file, pattern.getLine(), pattern.getColumn() + 1, CompileIssue.Severity.ERROR,
            "unknown fact type '" + pattern.getObjectType() + "': import it from dev.gatehouse.model in this file"));
        return;
      }
      if (!AllowList.allowsPattern(type.get())) {
        refuse(pattern, "a pattern of '" + type.get().getName() + "' (patterns match facts and plain values)");
        return;
      }
      if (pattern.getIdentifier() != null) {
        scope.bind(pattern.getIdentifier(), type.get());
      }
      for (BaseDescr constraint : pattern.getDescrs()) {
        if (constraint instanceof ExprConstraintDescr expr) {
          code(expr.getLine(), expr.getColumn(), () ->
              new ExpressionChecker(expr.getExpression(), scope, type.get(), actions).constraint());
        } else {
          refuse(constraint, "'" + describe(constraint) + "'");
        }
      }
    }

    private void source(PatternSourceDescr source, PatternDescr pattern, Scope scope) {
      if (source instanceof FromDescr from && from.getDataSource() instanceof MVELExprDescr expression) {
        code(pattern.getLine(), pattern.getColumn(), () ->
            new ExpressionChecker(expression.getExpression(), scope, null, actions).wholeExpression());
      } else if (source instanceof CollectDescr collect) {
        conditions(collect.getInputPattern(), scope);
      } else if (source instanceof GroupByDescr) {
        refuse(pattern, "groupby");
      } else if (source instanceof AccumulateDescr accumulate) {
        accumulate(accumulate, pattern, scope);
      } else {
        refuse(pattern, "'" + describe(source) + "'");
      }
    }

    private void accumulate(AccumulateDescr accumulate, PatternDescr pattern, Scope scope) {
      if (accumulate.getInitCode() != null || accumulate.getActionCode() != null
          || accumulate.getResultCode() != null || accumulate.getReverseCode() != null) {
        refuse(pattern, "accumulate with init, action or result code");
        return;
      }
      conditions(accumulate.getInput(), scope);
      for (AccumulateDescr.AccumulateFunctionCallDescr function : accumulate.getFunctions()) {
        Class<?> result = ACCUMULATE_FUNCTIONS.get(function.getFunction());
        if (result == null) {
          refuse(pattern, "accumulate function '" + function.getFunction() + "'");
          continue;
        }
        for (String parameter : function.getParams()) {
          code(pattern.getLine(), pattern.getColumn(), () ->
              new ExpressionChecker(parameter, scope, null, actions).wholeExpression());
        }
        if (function.getBind() != null) {
          scope.bind(function.getBind(), result);
        }
      }
    }

    /** Runs one check of code found at {@code line}:{@code column} (0-based column) and records a refusal. */
    private void code(int line, int column, Runnable check) {
      try {
        check.run();
      } catch (Refusal refusal) {
        Token at = refusal.at();
        int where = Math.max(line, 1) + at.line();
        int col = at.line() == 0 ? Math.max(column, 0) + at.column() + 1 : at.column() + 1;
        violations.add(new CompileIssue(file, where, col, CompileIssue.Severity.ERROR, refusal.getMessage()));
      }
    }

    private int indentation(int line) {
      if (line < 1 || line > lines.length) {
        return 0;
      }
      String text = lines[line - 1];
      return text.length() - text.stripLeading().length();
    }

    private void refuse(BaseDescr descr, String what) {
      violations.add(new CompileIssue(file, Math.max(descr.getLine(), 0), Math.max(descr.getColumn(), 0) + 1,
          CompileIssue.Severity.ERROR, what + " is not allowed in rules: " + AllowList.WHY));
    }

    private static String describe(BaseDescr descr) {
      String name = descr.getClass().getSimpleName().replace("Descr", "").toLowerCase(java.util.Locale.ROOT);
      return name.isEmpty() ? "construct" : name;
    }
  }
}
