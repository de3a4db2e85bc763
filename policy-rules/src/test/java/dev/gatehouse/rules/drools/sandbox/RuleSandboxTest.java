package dev.gatehouse.rules.drools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rules.CompileIssue;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.drools.DroolsPolicyCompiler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Escape attempts, each refused at compile time with its file, line and the name it reached for. */
class RuleSandboxTest {

  static final DroolsPolicyCompiler COMPILER = new DroolsPolicyCompiler(EvaluationLimits.DEFAULT);

  static final String HEADER = """
      package gatehouse.escape;
      import dev.gatehouse.model.*;
      import function dev.gatehouse.rules.drools.RuleActions.deny;
      """;

  /** A rule file: line 4 is the rule header, line 6 the condition, line 8 the consequence. */
  static String rule(String when, String then) {
    return HEADER + """
        rule "escape" @gate("execute") @code("x") @description("x")
        when
          %s
        then
          %s
        end
        """.formatted(when, then);
  }

  /** Rule code that uses each kind of thing the allow-list allows. */
  static final String ALLOWED = HEADER + """
      import function dev.gatehouse.rules.drools.RuleActions.warn;
      import dev.gatehouse.rules.functions.Globs;
      rule "allowed" @gate("execute") @code("x") @description("x")
      when
        $request : Request( gate.length() > 2, gate.toUpperCase().startsWith("E"), at != null )
        $issue : Issue( id == $request.subject, $blockers : blockedBy, blockedBy.size() < 100, status not in ("x") )
        $path : String( startsWith("src/"), Globs.matches("src/**", this) ) from java.util.List.of("src/a", "b")
        $n : Number( intValue >= 0 ) from accumulate( Criterion( $t : text ) from $issue.criteria, count( $t ) )
        eval( java.util.Objects.equals($request.gate(), "execute") && Math.max(1, 2) == 2 )
        not Approval( issue == $issue.id, dev.gatehouse.rules.functions.Times.atOrBefore(recordedAt, $request.at) )
      then
        deny(kcontext, "[issue] " + $request.gate().length());
        warn(kcontext, "advice");
      end
      """;

  static final String WHEN = "$request : Request()";
  static final String THEN = "deny(kcontext, \"x\");";

  static Arguments drl(String name, String text, int line, String offending) {
    return Arguments.of(name, Map.of("escape.drl", text), "escape.drl", line, offending);
  }

  static Arguments dsl(String name, String mapping, String sentence, boolean then, int line, String offending) {
    String dslr = HEADER + """
        rule "escape" @gate("execute") @code("x") @description("x")
        when
          %s
        then
          %s
        end
        """.formatted(then ? "a request is made" : sentence, then ? sentence : "a request is made");
    return Arguments.of(name, Map.of(
        "escape.dsl", "[when]a request is made=$request : Request()\n" + mapping + "\n[then]deny \"{m}\"=deny(kcontext, \"{m}\");\n",
        "escape.dslr", dslr), "escape.dslr", line, offending);
  }

  static Stream<Arguments> escapes() {
    return Stream.of(
        drl("exit in a consequence", rule(WHEN, "System.exit(0);"), 8, "java.lang.System"),
        drl("qualified exit in a consequence", rule(WHEN, "java.lang.System.exit(0);"), 8, "java.lang.System"),
        drl("exit spelled with a unicode escape", rule(WHEN, "\\u0053ystem.exit(0);"), 8, "unicode escape '\\u0053'"),
        drl("a line comment ended by an escaped carriage return",
            rule(WHEN, THEN + " // ok \\u000d new java.io.File(\"pwned\").mkdir();"), 8, "unicode escape '\\u000d'"),
        drl("a method left through an escaped line feed", rule(WHEN,
            THEN + " // \\u000a } static { System.exit(0); } void z() {"), 8, "unicode escape '\\u000a'"),
        drl("an escape with many u's", rule(WHEN, THEN + " // \\uuuu000d System.exit(0);"), 8, "unicode escape '\\uuuu000d'"),
        drl("a string ended by an escaped quote",
            rule(WHEN, "deny(kcontext, \"x\\u0022); System.exit(0); //\");"), 8, "unicode escape '\\u0022'"),
        drl("a block comment ended by an escaped star",
            rule(WHEN, "/* \\u002a/ System.exit(0); /* */ " + THEN), 8, "unicode escape '\\u002a'"),
        drl("an escape in a rule name, which Drools turns into a class name",
            rule(WHEN, THEN).replace("rule \"escape\"", "rule \"escape\\u000a\""), 4, "unicode escape '\\u000a'"),
        drl("an escape in a condition", rule("Request( gate == \"\\u0022 + System.getenv(\\u0022X\" )", THEN), 6,
            "unicode escape '\\u0022'"),
        drl("brackets nested thousands deep", rule("Request( " + "(".repeat(3000) + "true" + ")".repeat(3000) + " )", THEN),
            6, "nested more than 64 deep"),
        drl("an MVEL projection that reaches the system properties through a map", rule(
            "$m : java.util.Map( $x : (put(\"gatehouse.pwned\", \"yes\") in ((getProperties in ((System in (values())))))) )"
                + " from java.util.Map.of(\"k\", \"v\")", THEN), 6, "a pattern of 'java.util.Map'"),
        drl("an MVEL projection in a binding", rule("$r : Request( $t : (gate in (java.util.List.of(\"x\"))) )", THEN), 6,
            "'in' is only allowed in a whole pattern constraint"),
        drl("an 'in' inside parentheses", rule("Request( (gate in (\"execute\")) )", THEN), 6,
            "'in' is only allowed in a whole pattern constraint"),
        drl("a rule that expires by the clock", HEADER + """
            rule "escape" @gate("execute") @code("x") date-expires "01-Jan-2000"
            when
              $request : Request()
            then
            end
            """, 4, "rule attribute 'date-expires'"),
        drl("a backtracking regular expression", rule("Request( gate matches \".*.*.*.*.*.*.*b\" )", THEN), 6,
            "'matches' is not allowed"),
        drl("a regular expression through String", rule("Request( gate.replaceAll(\"(a*)*b\", \"\") == \"\" )", THEN), 6,
            "java.lang.String.replaceAll"),
        drl("a billion characters", rule(WHEN, "deny(kcontext, \"x\".repeat(1000000000));"), 8, "java.lang.String.repeat"),
        drl("a number as big as one argument says", rule(
            "Request( subject == java.math.BigDecimal.valueOf(1L, -2000000000).toPlainString() )", THEN), 6,
            "java.math.BigDecimal"),
        drl("a call that gives no value", rule("eval( java.util.Collections.reverse(java.util.List.of()) == null )", THEN), 6,
            "gives no value"),
        drl("an OOPath pattern", rule("$c : /issues[ status == \"x\" ]", THEN), 6, "OOPath is not allowed"),
        drl("environment in a deny message", rule(WHEN, "deny(kcontext, System.getenv(\"HOME\"));"), 8, "java.lang.System"),
        drl("system property in a constraint",
            rule("Request( gate == java.lang.System.getProperty(\"user.home\") )", THEN), 6, "java.lang.System"),
        drl("import of java.io.File", HEADER.replace("import dev.gatehouse.model.*;", "import dev.gatehouse.model.*;\nimport java.io.File;")
            + "rule \"r\" when File() then end\n", 3, "java.io.File"),
        drl("new File in a from", rule("$name : String() from new java.io.File(\"/etc\").list()", THEN), 6, "new"),
        drl("reading a file in an eval",
            rule("eval( java.nio.file.Files.exists(java.nio.file.Path.of(\"/etc/passwd\")) )", THEN), 6, "java.nio.file.Files"),
        drl("Runtime.exec in a consequence", rule(WHEN, "Runtime.getRuntime().exec(\"id\");"), 8, "java.lang.Runtime"),
        drl("ProcessBuilder in a from", rule("$p : Object() from java.lang.ProcessBuilder.startPipeline(null)", THEN), 6,
            "java.lang.ProcessBuilder"),
        drl("getClass on a fact", rule("Request( getClass().getName() != \"\" )", THEN), 6, "java.lang.Object.getClass"),
        drl("class literal", rule("Request( gate == String.class.getName() )", THEN), 6, "java.lang.String.class"),
        drl("Class.forName", rule("eval( Class.forName(\"java.lang.Runtime\") != null )", THEN), 6, "java.lang.Class"),
        drl("reflection", rule("eval( java.lang.reflect.Array.getLength(null) == 0 )", THEN), 6, "java.lang.reflect.Array"),
        drl("sleeping thread", rule(WHEN, "Thread.sleep(1000);"), 8, "java.lang.Thread"),
        drl("executor", rule("eval( java.util.concurrent.Executors.newSingleThreadExecutor() != null )", THEN), 6,
            "java.util.concurrent.Executors"),
        drl("the Kie runtime from kcontext", rule(WHEN, "kcontext.getKieRuntime().halt();"), 8, "kcontext"),
        drl("the working memory from drools", rule(WHEN, "drools.getWorkingMemory();"), 8, "drools"),
        drl("insert in a consequence", rule(WHEN, "insert(\"x\");"), 8, "insert"),
        drl("update in a consequence", rule(WHEN, "update($request);"), 8, "update"),
        drl("modify in a consequence", rule(WHEN, "modify($request) { };"), 8, "modify"),
        drl("retract in a consequence", rule(WHEN, "retract($request);"), 8, "retract"),
        drl("delete in a consequence", rule(WHEN, "delete($request);"), 8, "delete"),
        drl("a local variable in a consequence", rule(WHEN, "int zero = 0;"), 8, "int"),
        drl("global", HEADER + "global java.util.List leak;\n", 4, "global 'leak'"),
        drl("function with any body", HEADER + "function void f() { System.exit(0); }\n", 4, "function 'f'"),
        drl("declared type", HEADER + "declare Evil\n  name : String\nend\n", 4, "declare 'Evil'"),
        drl("query", HEADER + "query \"all requests\"\n  Request()\nend\n", 4, "query 'all requests'"),
        drl("accumulate with custom code", rule(
            "$n : Number() from accumulate( Request(), init( int n = 0; ) action( n++; ) result( n ) )", THEN), 6,
            "accumulate with init, action or result code"),
        drl("static method of another class in a from",
            rule("$key : Object() from System.getProperties().keySet()", THEN), 6, "java.lang.System"),
        drl("function import of System.exit",
            HEADER + "import function java.lang.System.exit;\n", 4, "java.lang.System.exit"),
        drl("system property through Integer.getInteger",
            rule("Request( Integer.getInteger(\"x\") == null )", THEN), 6, "java.lang.Integer.getInteger"),
        drl("the clock", rule("Request( at < java.time.Instant.now() )", THEN), 6, "java.time.Instant.now"),
        drl("dynamic salience", HEADER + """
            rule "escape" @gate("execute") salience( System.nanoTime() )
            when
              $request : Request()
            then
            end
            """, 4, "java.lang.System"),
        drl("timer", HEADER + """
            rule "escape" @gate("execute") timer( int: 1s )
            when
              $request : Request()
            then
            end
            """, 4, "rule attribute 'timer'"),
        drl("a fact type outside the model", rule("java.lang.Thread()", THEN), 6, "java.lang.Thread"),
        drl("a stream from a string", rule("Request( gate.chars().count() > 0 )", THEN), 6, "java.util.stream.IntStream"),
        drl("code run by the builder in an annotation value", HEADER + """
            rule "escape" @gate("execute") @code(java.lang.System.setProperty("sandbox.escaped", "yes"))
            when
              $request : Request()
            then
            end
            """, 4, "the value of @code"),
        drl("chance", rule("eval( Math.random() > 0.5 )", THEN), 6, "java.lang.Math.random"),
        Arguments.of("a fact type imported only by another file of the package", Map.of(
            "a.drl", "package gatehouse.escape;\nimport dev.gatehouse.model.Issue;\n",
            "b.drl", "package gatehouse.escape;\nrule \"b\"\nwhen\n  Issue( id == System.getenv(\"X\") )\nthen\nend\n"),
            "b.drl", 4, "unknown fact type 'Issue'"),
        Arguments.of("a sentence whose meaning depends on the order of two .dsl files", Map.of(
            "a.dsl", "[when]a request is made=$request : Request()\n",
            "b.dsl", "[when]a request is made=eval( java.lang.System.getenv(\"X\") != null )\n",
            "escape.dslr", HEADER + "rule \"r\"\nwhen\n  a request is made\nthen\nend\n"),
            "escape.dslr", 6, "expands differently depending on the order of the .dsl files"),
        drl("a cast to a class outside the allow-list", rule("eval( ((Runtime) null) == null )", THEN), 6, "java.lang.Runtime"),
        drl("a stream", rule("eval( java.util.List.of(1).stream().count() > 0 )", THEN), 6, "java.util.stream.Stream"),
        drl("a lambda in a consequence", rule(WHEN, "deny(kcontext, java.util.Optional.of(\"x\").map(s -> s).get());"), 8, "s"),
        drl("MVEL inline code", rule("Request( gate == @{System.getenv(\"X\")} )", THEN), 6, "@"),
        dsl("an escape put together by the DSL from two harmless pieces", "[then]note {x}=// {x}u000d System.exit(0);",
            "note \\", true, 8, "unicode escape"),
        Arguments.of("an escape in a .dsl mapping", Map.of(
            "escape.dsl", "[when]a request is made=$request : Request()\n[then]ok=// \\u000d System.exit(0);\n",
            "escape.dslr", HEADER + "rule \"r\"\nwhen\n  a request is made\nthen\n  ok\nend\n"),
            "escape.dsl", 2, "unicode escape '\\u000d'"),
        Arguments.of("six sentences that each expand into ten copies of the next", Map.of(
            "bomb.dsl", bomb(),
            "bomb.dslr", HEADER + "rule \"r\" @gate(\"execute\") @code(\"x\")\nwhen\n  a0\nthen\nend\n"),
            "bomb.dslr", 6, "grows past 8192 characters"),
        dsl("a DSL consequence that exits", "[then]shut down=System.exit(0);", "shut down", true, 8, "java.lang.System"),
        dsl("a DSL condition that reads a file",
            "[when]the password file exists=eval( java.nio.file.Files.exists(java.nio.file.Path.of(\"/etc/passwd\")) )",
            "the password file exists", false, 6, "java.nio.file.Files"),
        dsl("a DSL condition with a placeholder that reads the environment",
            "[when]the gate is the variable {name}=Request( gate == System.getenv(\"{name}\") )",
            "the gate is the variable HOME", false, 6, "java.lang.System"));
  }

  /** Sentence {@code a<i>} expands into ten {@code a<i+1>}; {@code a6} is a pattern. */
  static String bomb() {
    StringBuilder dsl = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      dsl.append("[when]a").append(i).append("=").append(("a" + (i + 1) + " ").repeat(10).strip()).append('\n');
    }
    return dsl.append("[when]a6=Request()\n").toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapes")
  void isRefusedWithFileLineAndName(String name, Map<String, String> files, String file, int line, String offending) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    files.forEach((path, text) -> bytes.put(path, text.getBytes(StandardCharsets.UTF_8)));

    CompileResult result = COMPILER.compile(PolicyFiles.of(bytes));

    assertThat(result.succeeded()).as(name).isFalse();
    assertThat(result.errors()).as(name).anySatisfy(issue -> {
      assertThat(issue.file()).isEqualTo(file);
      assertThat(issue.line()).isEqualTo(line);
      assertThat(issue.column()).isPositive();
      assertThat(issue.message()).contains(offending.contains(" ") ? offending : "'" + offending + "'");
    });
  }

  @Test
  void aBareCarriageReturnEndsALineCommentForTheSandboxAsItDoesForJava() {
    // Drools' own parser fails on this file; the sandbox's lexer must not depend on that.
    assertThat(Token.lex(THEN + " // ok \r System.exit(0);")).extracting(Token::text).contains("System");
    assertThat(Token.lex(THEN + " // ok \r\n System.exit(0);")).extracting(Token::text).contains("System");
  }

  @Test
  void theEscapeAttackNeverRuns(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path pwned = dir.resolve("pwned");
    String text = rule(WHEN, THEN + " // ok \\u000d new java.io.File(\"" + pwned + "\").mkdir();");

    CompileResult result = COMPILER.compile(PolicyFiles.of(Map.of("escape.drl", text.getBytes(StandardCharsets.UTF_8))));

    assertThat(result.succeeded()).isFalse();
    assertThat(pwned).doesNotExist();
  }

  @Test
  void evenBackslashesBeforeAUAreNoEscape() {
    String text = rule(WHEN, "deny(kcontext, \"C:\\\\users\");");

    CompileResult result = COMPILER.compile(PolicyFiles.of(Map.of("ok.drl", text.getBytes(StandardCharsets.UTF_8))));

    assertThat(result.errors()).isEmpty();
  }

  @Test
  void anAnnotationValueIsRefusedBeforeTheBuilderCouldRunIt() {
    String text = HEADER + """
        rule "escape" @gate("execute") @code(java.lang.System.setProperty("sandbox.escaped", "yes"))
        when
          $request : Request()
        then
        end
        """;

    COMPILER.compile(PolicyFiles.of(Map.of("escape.drl", text.getBytes(StandardCharsets.UTF_8))));

    assertThat(System.getProperty("sandbox.escaped")).isNull();
  }

  @Test
  void aRefusalReadsLikeACompilerError() {
    CompileResult result = COMPILER.compile(PolicyFiles.of(Map.of(
        "execute.drl", rule(WHEN, "System.exit(0);").getBytes(StandardCharsets.UTF_8))));

    assertThat(result.errors()).extracting(CompileIssue::describe).containsExactly(
        "execute.drl:8:3: 'java.lang.System' is not allowed in rules: "
            + "rules may use the fact model, Gatehouse's rule functions and plain values");
  }

  @Test
  void plainValuesModelAccessorsAndRuleFunctionsAreAllowed() {


    CompileResult result = COMPILER.compile(PolicyFiles.of(Map.of("allowed.drl", ALLOWED.getBytes(StandardCharsets.UTF_8))));

    assertThat(result.errors()).isEmpty();
  }

  @Test
  void theDefaultPolicySetPassesTheSandbox() throws Exception {
    Path policies = Path.of(System.getProperty("gatehouse.policies", "../policies"));

    RuleSandbox.Report report = new RuleSandbox(dev.gatehouse.rules.drools.RuleActions.class).check(PolicyFiles.read(policies));

    assertThat(report.violations()).isEmpty();
    assertThat(report.unreadable()).isEmpty();
  }

  @Test
  void theEngineTestPoliciesPassTheSandbox() throws Exception {
    for (String set : new String[] {"basic", "loop", "slow", "throws"}) {
      Path dir = Path.of(getClass().getResource("/policies/" + set).toURI());
      assertThat(new RuleSandbox(dev.gatehouse.rules.drools.RuleActions.class).check(PolicyFiles.read(dir)).violations()).as(set).isEmpty();
    }
  }
}
