package dev.gatehouse.rules.drools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rules.CompileIssue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;

/**
 * The second check on its own: rules built straight by Drools, without the text check, so that
 * what the bytecode check finds is not hidden by the first line of defence.
 */
class CompiledClassesTest {

  static KieBase build(String drl) {
    KieServices kie = KieServices.Factory.get();
    ReleaseId id = kie.newReleaseId("test", "compiled-" + UUID.randomUUID(), "1");
    KieFileSystem files = kie.newKieFileSystem();
    files.generateAndWritePomXML(id);
    files.write("src/main/resources/gatehouse/escape/escape.drl",
        kie.getResources().newByteArrayResource(drl.getBytes(StandardCharsets.UTF_8)));
    assertThat(kie.newKieBuilder(files).buildAll().getResults().getMessages(Message.Level.ERROR)).isEmpty();
    try {
      return kie.newKieContainer(id).getKieBase();
    } finally {
      kie.getRepository().removeKieModule(id);
    }
  }

  @Test
  void findsWhatAConsequenceReachesForWhateverItsText() {
    KieBase base = build(RuleSandboxTest.rule(RuleSandboxTest.WHEN,
        "if (new java.io.File(\"x\").exists()) { System.getenv(\"HOME\"); } " + RuleSandboxTest.THEN));

    List<CompiledClasses.Finding> findings = new CompiledClasses(dev.gatehouse.rules.drools.RuleActions.class).check(base);

    assertThat(findings).extracting(CompiledClasses.Finding::reference)
        .contains("java.io.File", "java.io.File.<init>", "java.io.File.exists", "java.lang.System.getenv");
    assertThat(findings).allSatisfy(f -> assertThat(f.rule()).hasValueSatisfying(r -> assertThat(r.getName()).isEqualTo("escape")));
  }

  @Test
  void findsAnEvalThatReadsTheEnvironmentOrReflects() {
    KieBase base = build(RuleSandboxTest.rule(
        "eval( System.getenv(\"X\") == null && String.class.getName() != null )", RuleSandboxTest.THEN));

    assertThat(new CompiledClasses(dev.gatehouse.rules.drools.RuleActions.class).check(base)).extracting(CompiledClasses.Finding::reference)
        .contains("java.lang.System.getenv", "java.lang.Class.getName");
  }

  @Test
  void aClassDeclaredInRuleCodeIsNoInvokerHoweverItIsDeclared() {
    KieBase base = build(RuleSandboxTest.rule(RuleSandboxTest.WHEN, """
        new org.drools.base.rule.accessor.CompiledInvoker() {
          public String getMethodBytecode() { System.exit(3); return null; }
        }.getMethodBytecode();
        """ + RuleSandboxTest.THEN));

    assertThat(new CompiledClasses(dev.gatehouse.rules.drools.RuleActions.class).check(base)).extracting(CompiledClasses.Finding::reference)
        .contains("org.drools.base.rule.accessor.CompiledInvoker", "java.lang.System.exit");
  }

  @Test
  void aRefusalNamesTheRuleFileAndLine() {
    KieBase base = build(RuleSandboxTest.rule(RuleSandboxTest.WHEN, "Thread.yield(); " + RuleSandboxTest.THEN));
    var rule = base.getKiePackage("gatehouse.escape").getRules().iterator().next();
    var info = new dev.gatehouse.rules.RuleInfo("escape", "escape.drl", 4, List.of("execute"), "x", "x", Map.of(), "");

    List<CompileIssue> issues = new RuleSandbox(dev.gatehouse.rules.drools.RuleActions.class).checkCompiled(base, Map.of(rule, info));

    assertThat(issues).extracting(CompileIssue::describe).contains("escape.drl:4:1: rule 'escape' compiles to code that "
        + "uses 'java.lang.Thread.yield', which is not allowed in rules: " + AllowList.WHY);
  }

  @Test
  void allowsWhatTheTextCheckAllows() {
    KieBase base = build(RuleSandboxTest.ALLOWED);

    assertThat(new CompiledClasses(dev.gatehouse.rules.drools.RuleActions.class).check(base)).isEmpty();
  }
}
