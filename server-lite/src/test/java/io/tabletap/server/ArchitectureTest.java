package io.tabletap.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;

/**
 * The layering of docs/design written as tests (STYLE.md, "Rules worth enforcing with ArchUnit").
 * An exception to a rule belongs in the rule, visibly, with the decision that allows it.
 */
@AnalyzeClasses(packages = "io.tabletap.server", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {
  /** Main and ServerLite wire the graph and own the process: they may touch the console and the real clock. */
  private static final DescribedPredicate<JavaClass> OUTSIDE_COMPOSITION_ROOT =
      DescribedPredicate.describe("are outside the composition root (Main, ServerLite)",
          c -> !isOrNestedIn(c, Main.class) && !isOrNestedIn(c, ServerLite.class));

  private static boolean isOrNestedIn(JavaClass c, Class<?> root) {
    return c.getName().equals(root.getName()) || c.getName().startsWith(root.getName() + "$");
  }

  @ArchTest
  static final ArchRule domainDependsOnlyOnItselfAndTheJdk = classes()
      .that().resideInAPackage("io.tabletap.server.domain..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("io.tabletap.server.domain..", "java..");

  @ArchTest
  static final ArchRule nothingDependsOnJavaFx = noClasses()
      .should().dependOnClassesThat().resideInAPackage("javafx..");

  /** The Payconic sandbox is a simulated provider with its own server (decision 0012). */
  @ArchTest
  static final ArchRule onlyTheHttpAdapterAndTheSandboxUseTheJdkHttpServer = noClasses()
      .that().resideOutsideOfPackages("io.tabletap.server.http..", "io.tabletap.server.sandbox..")
      .should().dependOnClassesThat().resideInAPackage("com.sun.net.httpserver..");

  /** OkHttp talks to providers: the Payconic gateway and the sandbox's webhook sender; the composition root makes the one client. */
  @ArchTest
  static final ArchRule onlyProviderAdaptersUseOkHttp = noClasses()
      .that().resideOutsideOfPackages("io.tabletap.server.payment.payconic..", "io.tabletap.server.sandbox..")
      .and().doNotHaveFullyQualifiedName("io.tabletap.server.ServerLite")
      .and().doNotHaveFullyQualifiedName("io.tabletap.server.PaymentProviders")
      .should().dependOnClassesThat().resideInAPackage("okhttp3..");

  /** Gateways stand alone: none knows another (STYLE.md rule 5). */
  @ArchTest
  static final ArchRule gatewaysDoNotKnowEachOther = com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
      .matching("io.tabletap.server.payment.(*)..")
      .should().notDependOnEachOther();

  @ArchTest
  static final ArchRule onlyTheStoreAndTheQueueUseJdbc = noClasses()
      .that().resideOutsideOfPackages("io.tabletap.server.store..", "io.tabletap.server.queue..")
      .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..");

  @ArchTest
  static final ArchRule onlyTheCompositionRootWritesToTheConsole = noClasses()
      .that(OUTSIDE_COMPOSITION_ROOT)
      .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
      .because("everything else logs through SLF4J");

  @ArchTest
  static final ArchRule onlyTheCompositionRootUsesJavaUtilLogging = noClasses()
      .that(OUTSIDE_COMPOSITION_ROOT)
      .should(GeneralCodingRules.USE_JAVA_UTIL_LOGGING);

  /** System.nanoTime stays allowed: it measures durations (a stop's deadline), it is not the time of day. */
  @ArchTest
  static final ArchRule onlyTheCompositionRootReadsTheWallClock = noClasses()
      .that(OUTSIDE_COMPOSITION_ROOT)
      .should().callMethod(Instant.class, "now")
      .orShould().callMethod(LocalDateTime.class, "now")
      .orShould().callMethod(LocalDate.class, "now")
      .orShould().callMethod(LocalTime.class, "now")
      .orShould().callMethod(ZonedDateTime.class, "now")
      .orShould().callMethod(OffsetDateTime.class, "now")
      .orShould().callMethod(Clock.class, "systemUTC")
      .orShould().callMethod(Clock.class, "systemDefaultZone")
      .orShould().callMethod(System.class, "currentTimeMillis")
      .because("time comes from an injected Clock, so that tests can move it");

  @ArchTest
  static final ArchRule featurePackagesHaveNoCycles = slices()
      .matching("io.tabletap.server.(*)..")
      .should().beFreeOfCycles();
}
