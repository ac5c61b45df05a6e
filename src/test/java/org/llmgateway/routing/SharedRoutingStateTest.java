package org.llmgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llmgateway.config.ProviderKey;
import org.llmgateway.config.Secret;
import org.llmgateway.testing.MutableClock;

/**
 * The seams through which a fleet shares routing state: what {@link KeyPool} and {@link Circuits}
 * announce, and how they apply what other replicas announced.
 */
class SharedRoutingStateTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> announced = new ArrayList<>();
  private final StateEvents recorder =
      new StateEvents() {
        @Override
        public void keyCooled(String provider, String keyId, long at, long until, String reason) {
          announced.add("cooled " + provider + "/" + keyId + " " + (until - at) + " " + reason);
        }

        @Override
        public void keyReset(String provider, String keyId, long at) {
          announced.add("reset " + provider + "/" + keyId);
        }

        @Override
        public void circuitOpened(String provider, long at, long until, String reason, int rate) {
          announced.add("opened " + provider + " " + (until - at) + " " + reason);
        }
      };

  private final List<ProviderKey> keys =
      List.of(new ProviderKey("k1", new Secret("sk-1")), new ProviderKey("k2", new Secret("sk-2")));

  private KeyPool pool() {
    KeyPool pool = new KeyPool(clock);
    pool.listen(recorder);
    return pool;
  }

  private long now() {
    return clock.millis();
  }

  @Test
  void aLocalCooldownAndResetAreAnnouncedButOnesLearntFromTheFleetAreNot() {
    KeyPool pool = pool();
    pool.failed("p", "k1", "HTTP 429", Duration.ofSeconds(60));
    pool.reset("p", "k1");
    pool.cooledElsewhere("p", "k2", now(), now() + 60_000, "HTTP 429");
    pool.resetElsewhere("p", "k2", now());
    assertEquals(List.of("cooled p/k1 60000 HTTP 429", "reset p/k1"), announced);
  }

  @Test
  void aCooldownLearntFromTheFleetIsSkippedWithItsEndAndReasonButNotCountedHere() {
    KeyPool pool = pool();
    pool.cooledElsewhere("p", "k1", now(), now() + 30_000, "HTTP 429");
    assertEquals("k2", pool.pick("p", keys, Set.of()).orElseThrow().id());
    KeyState.View v = pool.view("p", "k1");
    assertTrue(v.cooling());
    assertEquals(Instant.ofEpochMilli(now() + 30_000), v.coolingUntil().orElseThrow());
    assertEquals("HTTP 429", v.reason());
    assertEquals(0, v.cooldowns());
    clock.advance(Duration.ofSeconds(31));
    assertFalse(pool.view("p", "k1").cooling());
  }

  @Test
  void aCooldownFromTheFleetExtendsButNeverShortensOneKnownHere() {
    KeyPool pool = pool();
    pool.failed("p", "k1", "HTTP 429", Duration.ofSeconds(600));
    pool.cooledElsewhere("p", "k1", now(), now() + 60_000, "HTTP 503");
    assertEquals(Instant.ofEpochMilli(now() + 600_000), pool.view("p", "k1").coolingUntil().get());
    pool.cooledElsewhere("p", "k1", now(), now() + 900_000, "retry-after");
    assertEquals(Instant.ofEpochMilli(now() + 900_000), pool.view("p", "k1").coolingUntil().get());
  }

  @Test
  void aCooldownOlderThanAResetKnownHereIsIgnored() {
    KeyPool pool = pool();
    long cooledAt = now();
    clock.advance(Duration.ofSeconds(5));
    pool.failed("p", "k1", "HTTP 429", Duration.ofSeconds(60));
    pool.reset("p", "k1");
    // a replica that was cut off from Redis replays its cooldown from before the reset
    pool.cooledElsewhere("p", "k1", cooledAt, cooledAt + 600_000, "HTTP 429");
    assertFalse(pool.view("p", "k1").cooling());
  }

  @Test
  void aResetFromTheFleetEndsOnlyACooldownThatBeganBeforeIt() {
    KeyPool pool = pool();
    long resetAt = now();
    clock.advance(Duration.ofSeconds(1));
    pool.failed("p", "k1", "HTTP 429", Duration.ofSeconds(60));
    pool.resetElsewhere("p", "k1", resetAt);
    assertTrue(pool.view("p", "k1").cooling(), "the cooldown is newer than the reset");
    pool.resetElsewhere("p", "k1", now());
    assertFalse(pool.view("p", "k1").cooling());
  }

  @Test
  void aCooldownThatEndedIsNotApplied() {
    KeyPool pool = pool();
    pool.cooledElsewhere("p", "k1", now() - 10_000, now() - 1, "HTTP 429");
    assertFalse(pool.view("p", "k1").cooling());
  }

  private Circuits circuits(BreakerPolicy policy) {
    Circuits c = new Circuits(clock, policy);
    c.listen(recorder);
    return c;
  }

  private static BreakerPolicy rateOnly() {
    BreakerPolicy d = BreakerPolicy.DEFAULT;
    return new BreakerPolicy(
        true,
        d.window(),
        20,
        50,
        1_000,
        Duration.ofSeconds(30),
        Duration.ofSeconds(300),
        d.halfOpenProbes());
  }

  @Test
  void outcomesAreCountedForTheFleetOnceAndReset() {
    Circuits c = circuits(rateOnly());
    c.succeeded("p");
    c.failed("p");
    c.failed("p");
    assertEquals(Map.of("p", new WindowCounts(3, 2)), c.drainOutcomes());
    assertEquals(Map.of(), c.drainOutcomes());
  }

  @Test
  void withoutSharingNothingIsCountedForTheFleet() {
    Circuits c = new Circuits(clock, rateOnly());
    c.failed("p");
    assertEquals(Map.of(), c.drainOutcomes());
  }

  @Test
  void theFleetsAttemptsJoinTheFailureRateRuleAndOpenTheCircuitAtOnce() {
    Circuits c = circuits(rateOnly());
    for (int i = 0; i < 10; i++) {
      c.failed("p");
    }
    assertEquals(Circuits.State.CLOSED, c.state("p"), "10 attempts are below the minimum of 20");
    c.fleetCounts("p", new WindowCounts(12, 9));
    Circuits.View v = c.view("p");
    assertEquals(Circuits.State.OPEN, v.state());
    assertEquals("failure rate 86% of 22 attempts in 10 s across the fleet", v.reason());
    assertEquals(List.of("opened p 30000 " + v.reason()), announced);
  }

  @Test
  void theFleetsHealthyAttemptsKeepALocalBurstOfFailuresBelowTheRate() {
    Circuits c = circuits(rateOnly());
    c.fleetCounts("p", new WindowCounts(100, 0));
    for (int i = 0; i < 20; i++) {
      c.failed("p");
    }
    assertEquals(Circuits.State.CLOSED, c.state("p"), "20 failures of 120 attempts is 16%");
  }

  @Test
  void theFleetsCountsAreIgnoredOnceStale() {
    Circuits c = circuits(rateOnly());
    c.fleetCounts("p", new WindowCounts(100, 0));
    clock.advance(Duration.ofMillis(Circuits.FLEET_COUNTS_STALE_AFTER_MILLIS + 1));
    for (int i = 0; i < 20; i++) {
      c.failed("p");
    }
    assertEquals(Circuits.State.OPEN, c.state("p"), "only local evidence remains: 100%");
  }

  @Test
  void theFleetsOldFailuresDoNotReopenACircuitThatJustClosed() {
    Circuits c = circuits(rateOnly());
    c.fleetCounts("p", new WindowCounts(30, 30));
    c.failed("p");
    assertEquals(Circuits.State.OPEN, c.state("p"));
    clock.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 3; i++) {
      assertTrue(c.tryAcquire("p"));
      c.succeeded("p");
    }
    assertEquals(Circuits.State.CLOSED, c.state("p"), "three probes succeeded");
    c.fleetCounts("p", new WindowCounts(30, 30));
    c.failed("p");
    assertEquals(Circuits.State.CLOSED, c.state("p"), "the others' sums are from before the close");
    clock.advance(Duration.ofSeconds(11));
    c.fleetCounts("p", new WindowCounts(30, 30));
    assertEquals(Circuits.State.OPEN, c.state("p"), "a window later they are evidence again");
  }

  @Test
  void anOpeningElsewhereDemotesTheProviderUntilTheSameTimeWithoutAnnouncingItAgain() {
    Circuits c = circuits(BreakerPolicy.DEFAULT);
    long until = now() + 45_000;
    c.openedElsewhere("p", now(), until, "5 consecutive failures", 100);
    Circuits.View v = c.view("p");
    assertEquals(Circuits.State.OPEN, v.state());
    assertEquals(Instant.ofEpochMilli(until), v.openUntil().orElseThrow());
    assertEquals("5 consecutive failures (on another replica)", v.reason());
    assertFalse(c.tryAcquire("p"));
    assertEquals(List.of(), announced);
    clock.advance(Duration.ofSeconds(46));
    assertTrue(c.tryAcquire("p"), "half-open: this replica probes on its own");
  }

  @Test
  void anOpeningElsewhereChangesNothingWhileTheCircuitIsAlreadyOpenHere() {
    Circuits c = circuits(BreakerPolicy.DEFAULT);
    for (int i = 0; i < 5; i++) {
      c.failed("p");
    }
    Instant until = c.view("p").openUntil().orElseThrow();
    c.openedElsewhere("p", now(), now() + 200_000, "other", 100);
    assertEquals(until, c.view("p").openUntil().orElseThrow());
    assertEquals(1, c.view("p").opens());
  }

  @Test
  void withTheBreakerOffTheFleetOpensNothing() {
    BreakerPolicy off = BreakerPolicy.DEFAULT;
    off =
        new BreakerPolicy(
            false,
            off.window(),
            off.minAttempts(),
            off.failureRatePercent(),
            off.consecutiveFailures(),
            off.openFor(),
            off.maxOpenFor(),
            off.halfOpenProbes());
    Circuits c = circuits(off);
    c.openedElsewhere("p", now(), now() + 30_000, "x", 100);
    c.fleetCounts("p", new WindowCounts(100, 100));
    assertEquals(Circuits.State.CLOSED, c.state("p"));
  }
}
