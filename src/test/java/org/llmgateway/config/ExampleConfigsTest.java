package org.llmgateway.config;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code configs/*.yaml.example} loads as documented: copied to {@code *.yaml} beside the
 * default files, its key variables set.
 */
class ExampleConfigsTest {
  private static final Set<String> GATEWAY_WIDE =
      Set.of("GATEWAY_CA_FILE", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY");

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> everyExampleLoadsOnItsOwn() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("configs"))) {
      examples =
          files.filter(f -> f.getFileName().toString().endsWith(".yaml.example")).sorted().toList();
    }
    assertFalse(examples.isEmpty());
    return examples.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      Path one = Files.createDirectories(dir.resolve(f.getFileName().toString()));
                      for (String dflt : List.of("providers.yaml", "models.yaml")) {
                        Files.copy(Path.of("configs", dflt), one.resolve(dflt));
                      }
                      Files.copy(
                          f,
                          one.resolve(
                              f.getFileName().toString().replace(".yaml.example", ".yaml")));
                      // every key variable is set; the gateway-wide ones (CA file, proxies) are
                      // not, as on a plain machine
                      new ConfigLoader(
                              name ->
                                  GATEWAY_WIDE.contains(name.toUpperCase(Locale.ROOT))
                                      ? null
                                      : "test-value-of-" + name)
                          .loadDirectory(one);
                    }));
  }
}
