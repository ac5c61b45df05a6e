package org.llmgateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.config.Secret;
import org.llmgateway.testing.MutableClock;

/** The in-memory limits of gateway keys, by key id, with a clock moved by hand. */
class LocalRateLimitsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
  private final LocalRateLimits limits = new LocalRateLimits(clock);

  private static GatewayKey key(String id, Long rpm, Long tpm) {
    return new GatewayKey(
        id,
        new Secret("sk-gw-" + id),
        "t",
        true,
        "",
        Optional.empty(),
        rpm == null ? OptionalLong.empty() : OptionalLong.of(rpm),
        tpm == null ? OptionalLong.empty() : OptionalLong.of(tpm));
  }

  @Test
  void aKeyWithoutLimitsIsAlwaysAdmittedAndReportsNothing() {
    GatewayKey free = key("free", null, null);
    for (int i = 0; i < 1000; i++) {
      assertSame(RateDecision.UNLIMITED, limits.admit(free));
    }
    limits.charge(free, 1_000_000);
    assertSame(RateDecision.UNLIMITED, limits.admit(free));
  }

  @Test
  void stateIsKeptByKeyIdSoAReloadedKeyContinuesAndOtherKeysAreIndependent() {
    for (int i = 0; i < 3; i++) {
      assertTrue(limits.admit(key("a", 3L, null)).admitted());
    }
    GatewayKey reloaded = key("a", 3L, null);
    assertEquals(Optional.of(LimitKind.REQUESTS), limits.admit(reloaded).refusedBy());
    assertTrue(limits.admit(key("b", 3L, null)).admitted());
    clock.advance(Duration.ofSeconds(20));
    assertTrue(limits.admit(reloaded).admitted());
  }

  @Test
  void tokensChargedAfterTheAnswerRefuseTheNextRequestUntilTheDebtDrains() {
    GatewayKey k = key("t", null, 100L);
    assertTrue(limits.admit(k).admitted());
    limits.charge(k, 130);
    RateDecision d = limits.admit(k);
    assertEquals(Optional.of(LimitKind.TOKENS), d.refusedBy());
    assertEquals(18_600_000_000L, d.retryAfterNanos());
    clock.advance(Duration.ofMillis(18_600));
    assertTrue(limits.admit(k).admitted());
  }

  @Test
  void concurrentRequestsOfOneKeyAreAdmittedExactlyUpToTheLimit() throws InterruptedException {
    GatewayKey k = key("busy", 50L, null);
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < 20; i++) {
                      if (limits.admit(k).admitted()) {
                        admitted.incrementAndGet();
                      }
                    }
                  }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(50, admitted.get());
    assertFalse(limits.admit(k).admitted());
  }
}
