package org.llmgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llmgateway.core.Settings;

/** Which files the gateway reads: GATEWAY_CONFIG_FILE, when set, wins over GATEWAY_CONFIG_DIR. */
class ConfigSourceTest {
  @TempDir Path dir;

  @Test
  void gatewayConfigFileWinsOverTheDirectory() throws Exception {
    Files.writeString(
        dir.resolve("a.yaml"),
        "providers: {mock: {type: mock}}\nmodels: {from-dir: {provider_map: {mock: x}}}\n");
    Path single =
        Files.writeString(
            dir.resolve("single.yml.txt"),
            "providers: {mock: {type: mock}}\nmodels: {from-file: {provider_map: {mock: x}}}\n");
    Map<String, String> env =
        Map.of("GATEWAY_CONFIG_DIR", dir.toString(), "GATEWAY_CONFIG_FILE", single.toString());
    try (Service service = Service.start(Settings.from(env::get), Clock.systemUTC(), true)) {
      assertEquals(Set.of("from-file"), service.gateway().load().models().keySet());
    }
    try (Service service =
        Service.start(
            Settings.from(Map.of("GATEWAY_CONFIG_DIR", dir.toString())::get),
            Clock.systemUTC(),
            true)) {
      assertEquals(Set.of("from-dir"), service.gateway().load().models().keySet());
    }
  }
}
