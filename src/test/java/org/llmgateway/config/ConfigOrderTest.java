package org.llmgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigOrderTest {
  @Test
  void providersAndModelsIterateSortedByNameAsDocumented(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("a.yaml"),
        """
        version: 1
        providers:
          zeta: {type: mock}
          alpha: {type: mock}
          mike: {type: mock}
          bravo: {type: mock}
        models:
          z-model: {provider_map: {zeta: z}}
          a-model: {provider_map: {alpha: a}}
          m-model: {provider_map: {mike: m}}
        """);
    GatewayConfig config = new ConfigLoader(Map.<String, String>of()::get).loadDirectory(dir);
    assertEquals(
        List.of("alpha", "bravo", "mike", "zeta"), List.copyOf(config.providers().keySet()));
    assertEquals(List.of("a-model", "m-model", "z-model"), List.copyOf(config.models().keySet()));
  }
}
