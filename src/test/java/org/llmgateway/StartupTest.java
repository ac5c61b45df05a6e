package org.llmgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llmgateway.config.ConfigException;
import org.llmgateway.core.Settings;

/**
 * The embedded server does not start on an invalid configuration, and says everything that is
 * wrong.
 */
class StartupTest {
  @TempDir Path dir;

  @Test
  void startingWithAnInvalidConfigThrowsEveryError() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("gateway.yaml"),
            """
        providers:
          openai:
            base_url: "https://api.openai.com"
            weight: -1
            keys: [{id: k1, value_env: NOT_SET_ANYWHERE}]
        models:
          m:
            aliases: [x]
            provider_map: {openai: gpt-4o}
            policy: {allow_providers: [opnai]}
        """);
    Settings settings =
        Settings.from(
            Map.of(
                    "GATEWAY_HOST",
                    "127.0.0.1",
                    "GATEWAY_PORT",
                    "0",
                    "GATEWAY_CONFIG_DIR",
                    dir.toString())
                ::get);
    ConfigException e =
        assertThrows(ConfigException.class, () -> Main.Server.start(settings, Clock.systemUTC()));
    String f = file.toAbsolutePath() + ": ";
    assertEquals(
        List.of(
            f
                + "providers.openai.keys[0].value_env: environment variable NOT_SET_ANYWHERE is not set",
            f + "providers.openai.weight: must be at least 0, got -1",
            f
                + "models.m.policy.allow_providers[0]: names undefined provider \"opnai\" (did you mean \"openai\"?)"),
        e.errors());
    assertTrue(e.getMessage().startsWith("3 configuration error(s):"), e.getMessage());
  }
}
