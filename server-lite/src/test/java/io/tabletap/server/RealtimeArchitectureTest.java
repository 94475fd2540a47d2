package io.tabletap.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules (STYLE.md) that the real-time work touches. */
class RealtimeArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importMain() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tabletap.server");
  }

  @Test
  void javaWebSocketIsUsedOnlyInTheWsAndRealtimePackages() {
    noClasses().that().resideOutsideOfPackages("io.tabletap.server.ws..", "io.tabletap.server.realtime..")
        .should().dependOnClassesThat().resideInAPackage("org.java_websocket..")
        .check(classes);
  }

  @Test
  void jdbcIsUsedOnlyInTheStorePackage() {
    noClasses().that().resideInAnyPackage("io.tabletap.server.ws..", "io.tabletap.server.realtime..", "io.tabletap.server.device..")
        .should().dependOnClassesThat().resideInAPackage("java.sql..")
        .check(classes);
  }

  @Test
  void theRealtimeCoreDoesNotDependOnTheSocketAdapter() {
    noClasses().that().resideInAPackage("io.tabletap.server.realtime..")
        .should().dependOnClassesThat().resideInAPackage("io.tabletap.server.ws..")
        .check(classes);
  }
}
