package dev.gatehouse.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: server → rules → model, and no package depends on itself through
 * others; Drools stays in one package, Vert.x in the server.
 */
class LayeringTest {

  static JavaClasses gatehouse;

  @BeforeAll
  static void importClasses() {
    gatehouse = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.gatehouse");
  }

  @Test
  void noPackageCycles() {
    // Each package is a slice of its own: only the composition roots (dev.gatehouse.server,
    // dev.gatehouse.server.cli) may see everything, and nothing they use may see them back.
    slices().matching("dev.gatehouse.(**)").should().beFreeOfCycles().check(gatehouse);
  }

  @Test
  void droolsOnlyInsideTheEnginePackage() {
    noClasses().that().resideOutsideOfPackage("dev.gatehouse.rules.drools..")
        .should().dependOnClassesThat().resideInAnyPackage("org.drools..", "org.kie..", "org.mvel2..")
        .check(gatehouse);
  }

  @Test
  void vertxOnlyInsideTheServer() {
    noClasses().that().resideOutsideOfPackage("dev.gatehouse.server..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..")
        .check(gatehouse);
  }

  @Test
  void theModelDependsOnNothingOfGatehouse() {
    noClasses().that().resideInAPackage("dev.gatehouse.model..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.gatehouse.rules..", "dev.gatehouse.server..")
        .check(gatehouse);
  }

  @Test
  void theEngineDoesNotDependOnTheServer() {
    noClasses().that().resideInAPackage("dev.gatehouse.rules..")
        .should().dependOnClassesThat().resideInAPackage("dev.gatehouse.server..")
        .check(gatehouse);
  }
}
