package org.llmgateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.Yaml;

class StatsSnapshotTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static GatewayUnderTest gateway(FakeUpstream upstream, Path snapshot) {
    return GatewayUnderTest.builder()
        .file(
            "providers.yaml",
            Yaml.providers(
                Yaml.provider(
                    "alpha", upstream.baseUrl(), "a1", "sk-alpha-one", "a2", "sk-alpha-two")))
        .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
        .env("GATEWAY_ADMIN_TOKEN", "t0ken")
        .env("GATEWAY_STATS_SNAPSHOT_PATH", snapshot.toString())
        .start();
  }

  private static JsonNode admin(GatewayUnderTest gw, String path) throws Exception {
    return JSON.readTree(gw.get(path, "X-Admin-Token", "t0ken").body());
  }

  @Test
  void statsAndCooldownsSurviveARestart(@TempDir Path dir) throws Exception {
    Path snapshot = dir.resolve("state").resolve("stats.json");
    try (FakeUpstream upstream =
        new FakeUpstream()
            .script(
                r ->
                    "Bearer sk-alpha-one".equals(r.header("authorization"))
                        ? FakeUpstream.status(429, "{}")
                        : FakeUpstream.ok("hi"))) {
      try (GatewayUnderTest a = gateway(upstream, snapshot)) {
        for (int i = 0; i < 3; i++) {
          assertEquals(200, a.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
        }
        assertEquals("cooling", admin(a, "/admin/keys").at("/providers/0/keys/0/state").asText());
      }
      assertTrue(Files.isRegularFile(snapshot), "written on stop");
      String saved = Files.readString(snapshot);
      assertFalse(saved.contains("sk-alpha"), "no key value in the snapshot");
      try (var files = Files.list(snapshot.getParent())) {
        assertEquals(1, files.count(), "no temporary file left behind");
      }

      upstream.reset();
      try (GatewayUnderTest b = gateway(upstream, snapshot)) {
        JsonNode stats = admin(b, "/admin/stats?window=10");
        assertEquals(3, stats.at("/all_time/requests").asInt());
        assertEquals(3, stats.at("/totals/requests").asInt(), "the per-minute series is restored");
        assertEquals("a1", stats.at("/cooldowns/0/key_id").asText());
        JsonNode a1 = admin(b, "/admin/keys").at("/providers/0/keys/0");
        assertEquals("cooling", a1.get("state").asText());
        assertEquals("HTTP 429", a1.get("reason").asText());
        assertEquals(1, a1.get("cooldowns").asInt());

        assertEquals(200, b.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
        assertEquals(1, upstream.calls(), "the restored cooldown keeps a1 out of rotation");
        assertEquals("Bearer sk-alpha-two", upstream.received().getFirst().header("authorization"));
      }
    }
  }
}
