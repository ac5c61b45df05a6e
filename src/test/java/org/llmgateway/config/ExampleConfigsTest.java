package org.llmgateway.config;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code configs/*.yaml.example} loads as documented: copied to {@code *.yaml} beside the default files, its key
 * variables set.
 */
class ExampleConfigsTest {
  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> everyExampleLoadsOnItsOwn() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("configs"))) {
      examples = files.filter(f -> f.getFileName().toString().endsWith(".yaml.example")).sorted().toList();
    }
    assertFalse(examples.isEmpty());
    return examples.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      Path one = Files.createDirectories(dir.resolve(f.getFileName().toString()));
      for (String dflt : List.of("providers.yaml", "models.yaml")) {
        Files.copy(Path.of("configs", dflt), one.resolve(dflt));
      }
      Files.copy(f, one.resolve(f.getFileName().toString().replace(".yaml.example", ".yaml")));
      new ConfigLoader(name -> "test-value-of-" + name).loadDirectory(one);
    }));
  }
}
