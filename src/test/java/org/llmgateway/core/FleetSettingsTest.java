package org.llmgateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llmgateway.fleet.FleetSettings;

class FleetSettingsTest {
  private static Settings settings(Map<String, String> env) {
    return Settings.from(env::get);
  }

  @Test
  void withoutARedisUrlTheGatewayKeepsItsStateToItself() {
    assertTrue(settings(Map.of()).fleet().isEmpty());
  }

  @Test
  void aRedisUrlTurnsSharingOnWithShortTimeoutsAndAReplicaIdOfHostAndProcess() {
    FleetSettings f = settings(Map.of("GATEWAY_REDIS_URL", "redis://cache:6380/2")).fleet().get();
    assertEquals(Duration.ofMillis(10), f.timeout());
    assertEquals("redis://cache:6380/2", f.displayUrl());
    assertTrue(f.replicaId().endsWith("-" + ProcessHandle.current().pid()), f.replicaId());
    assertEquals("llmgw", f.prefix());
  }

  @Test
  void thePasswordInTheUrlOrItsVariableNeverShows() {
    Settings s =
        settings(
            Map.of(
                "GATEWAY_REDIS_URL", "rediss://user:hunter2-secret@cache.example:6379/0",
                "GATEWAY_REDIS_PASSWORD", "env-secret-value"));
    FleetSettings f = s.fleet().get();
    assertEquals("rediss://cache.example:6379/0", f.displayUrl());
    assertFalse(s.toString().contains("hunter2"), s.toString());
    assertFalse(f.toString().contains("hunter2") || f.toString().contains("env-secret"));
  }

  @Test
  void badValuesAreReportedTogetherWithoutEchoingTheUrl() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                settings(
                    Map.of(
                        "GATEWAY_REDIS_URL", "http://user:hunter2@cache:6379",
                        "GATEWAY_REDIS_TIMEOUT_MS", "0")));
    assertTrue(
        e.getMessage().contains("GATEWAY_REDIS_URL: must start with redis:// or rediss://"),
        e.getMessage());
    assertTrue(e.getMessage().contains("GATEWAY_REDIS_TIMEOUT_MS"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void anUnreadableRedisCaFileIsReportedForRedissOnly() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                settings(
                    Map.of(
                        "GATEWAY_REDIS_URL", "rediss://cache:6380",
                        "GATEWAY_REDIS_CA_FILE", "/nonexistent/redis-ca.pem")));
    assertTrue(
        e.getMessage().contains("GATEWAY_REDIS_CA_FILE: cannot read CA file"), e.getMessage());
    assertTrue(
        settings(
                Map.of(
                    "GATEWAY_REDIS_URL", "redis://cache:6380",
                    "GATEWAY_REDIS_CA_FILE", "/nonexistent/redis-ca.pem"))
            .fleet()
            .isPresent(),
        "plain redis:// has no use for a CA");
  }

  @Test
  void aReplicaIdMustBeAPlainName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                settings(
                    Map.of(
                        "GATEWAY_REDIS_URL", "redis://cache",
                        "GATEWAY_REPLICA_ID", "a|b")));
    assertTrue(e.getMessage().contains("GATEWAY_REPLICA_ID"), e.getMessage());
  }
}
