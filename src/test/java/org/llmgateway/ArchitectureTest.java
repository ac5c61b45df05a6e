package org.llmgateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The package rules of {@code org.llmgateway} (see its package-info), checked on the compiled
 * classes: no cycle between packages, and each package imports only the packages below it.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPath(Path.of("target", "classes"));

  /** Each package and the packages of ours it may use; everything not listed is above it. */
  private static final Map<String, List<String>> MAY_USE =
      Map.ofEntries(
          Map.entry("config", List.of()),
          Map.entry("error", List.of()),
          Map.entry("limit", List.of("config")),
          Map.entry("routing", List.of("config")),
          Map.entry("upstream", List.of("config", "routing")),
          Map.entry("observe", List.of("config", "routing")),
          Map.entry("translate", List.of("config", "error", "routing", "upstream")),
          Map.entry("relay", List.of("config", "error", "routing", "upstream", "observe")),
          Map.entry("fleet", List.of("config", "routing", "observe", "limit")),
          Map.entry(
              "core",
              List.of(
                  "config",
                  "error",
                  "routing",
                  "upstream",
                  "translate",
                  "observe",
                  "relay",
                  "fleet",
                  "limit")),
          Map.entry(
              "http",
              List.of(
                  "config",
                  "error",
                  "routing",
                  "upstream",
                  "translate",
                  "observe",
                  "relay",
                  "fleet",
                  "limit",
                  "core")),
          Map.entry(
              "configcenter",
              List.of(
                  "config",
                  "error",
                  "routing",
                  "upstream",
                  "translate",
                  "observe",
                  "relay",
                  "fleet",
                  "limit",
                  "core")),
          Map.entry(
              "admin",
              List.of(
                  "config",
                  "error",
                  "routing",
                  "upstream",
                  "translate",
                  "observe",
                  "relay",
                  "fleet",
                  "limit",
                  "core",
                  "http",
                  "configcenter")));

  static Stream<Arguments> packages() {
    return MAY_USE.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @Test
  void noPackagesDependOnEachOtherInACycle() {
    slices().matching("org.llmgateway.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @ParameterizedTest(name = "{0} uses only {1}")
  @MethodSource("packages")
  void eachPackageUsesOnlyThePackagesBelowIt(String pkg, List<String> allowed) {
    List<String> forbidden = new ArrayList<>();
    forbidden.add("org.llmgateway");
    for (String other : MAY_USE.keySet()) {
      if (!other.equals(pkg) && !allowed.contains(other)) {
        forbidden.add("org.llmgateway." + other + "..");
      }
    }
    noClasses()
        .that()
        .resideInAPackage("org.llmgateway." + pkg + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden.toArray(String[]::new))
        .check(MAIN);
  }

  @Test
  void onlyTheEntryPointsLiveInTheTopPackage() {
    classes()
        .that()
        .resideInAPackage("org.llmgateway")
        .and()
        .areTopLevelClasses()
        .and()
        .arePublic()
        .should()
        .haveSimpleName("Main")
        .orShould()
        .haveSimpleName("WebAppListener")
        .orShould()
        .haveSimpleName("Service")
        .check(MAIN);
  }
}
