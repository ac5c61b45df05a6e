package org.llmgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llmgateway.config.ProviderKey;
import org.llmgateway.config.Secret;
import org.llmgateway.testing.MutableClock;

class KeyPoolTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final KeyPool pool = new KeyPool(clock);
  private final List<ProviderKey> keys = List.of(key("a"), key("b"), key("c"));

  private static ProviderKey key(String id) {
    return new ProviderKey(id, new Secret("sk-" + id));
  }

  @Test
  void keysRotateRoundRobin() {
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      picked.add(pool.pick("p", keys, Set.of()).orElseThrow().id());
    }
    assertEquals(List.of("a", "b", "c", "a", "b", "c"), picked);
  }

  @Test
  void coolingKeysAreSkippedUntilTheCooldownEnds() {
    pool.failed("p", "b", "HTTP 429", Duration.ofSeconds(10));
    for (int i = 0; i < 6; i++) {
      assertFalse(pool.pick("p", keys, Set.of()).orElseThrow().id().equals("b"));
    }
    assertTrue(pool.view("p", "b").cooling());
    clock.advance(Duration.ofSeconds(11));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      seen.add(pool.pick("p", keys, Set.of()).orElseThrow().id());
    }
    assertEquals(Set.of("a", "b", "c"), seen);
  }

  @Test
  void aFailureWithoutCooldownKeepsTheKeyInRotation() {
    pool.failed("p", "a", "connection refused", Duration.ZERO);
    assertFalse(pool.view("p", "a").cooling());
    assertEquals("connection refused", pool.view("p", "a").lastError());
  }

  @Test
  void keysAlreadyTriedByTheRequestAreSkipped() {
    Optional<ProviderKey> k = pool.pick("p", keys, Set.of("a", "b"));
    assertEquals("c", k.orElseThrow().id());
    assertTrue(pool.pick("p", keys, Set.of("a", "b", "c")).isEmpty());
  }

  @Test
  void everyKeyCoolingLeavesNothingToPick() {
    keys.forEach(k -> pool.failed("p", k.id(), "HTTP 401", Duration.ofMinutes(10)));
    assertTrue(pool.pick("p", keys, Set.of()).isEmpty());
    assertTrue(pool.allCooling("p", keys));
  }

  @Test
  void resetEndsACooldownAtOnce() {
    pool.failed("p", "a", "HTTP 401", Duration.ofMinutes(10));
    assertTrue(pool.reset("p", "a"));
    assertFalse(pool.view("p", "a").cooling());
    assertFalse(pool.reset("p", "unknown"));
  }

  @Test
  void stateIsKeyedByProviderSoOtherProvidersAreUnaffected() {
    pool.failed("p", "a", "HTTP 401", Duration.ofMinutes(10));
    assertFalse(pool.view("q", "a").cooling());
  }
}
