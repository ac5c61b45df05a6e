package org.llmgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.MutableClock;

class CircuitsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Circuits circuits = new Circuits(clock, BreakerPolicy.DEFAULT);

  private void outcomes(String provider, int successes, int failures) {
    for (int i = 0; i < Math.max(successes, failures); i++) {
      if (i < failures) {
        circuits.failed(provider);
      }
      if (i < successes) {
        circuits.succeeded(provider);
      }
    }
  }

  private void openByStreak(String provider) {
    for (int i = 0; i < 5; i++) {
      circuits.failed(provider);
    }
  }

  @Test
  void threeFailuresInARowDoNotOpenIt() {
    for (int i = 0; i < 4; i++) {
      circuits.failed("p");
    }
    assertEquals(Circuits.State.CLOSED, circuits.state("p"));
    assertTrue(circuits.tryAcquire("p"));
  }

  @Test
  void fiveConsecutiveFailuresOpenItWithThatReason() {
    openByStreak("p");
    Circuits.View v = circuits.view("p");
    assertEquals(Circuits.State.OPEN, v.state());
    assertEquals("5 consecutive failures", v.reason());
    assertFalse(circuits.tryAcquire("p"));
  }

  @Test
  void aFifteenPercentFailureRateNeverOpensIt() {
    // 15 failures in every 100 attempts, spread out as a flaky provider's are: never 5 in a row,
    // rate below 50%
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 100; i++) {
        if (i % 7 == 0 && i < 100 - 2) {
          circuits.failed("p");
        } else {
          circuits.succeeded("p");
        }
      }
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(Circuits.State.CLOSED, circuits.state("p"));
    assertEquals(0, circuits.view("p").opens());
  }

  @Test
  void aFailureRateOfHalfOverTwentyAttemptsInTheWindowOpensIt() {
    for (int i = 0; i < 10; i++) {
      circuits.succeeded("p");
      circuits.failed("p");
    }
    Circuits.View v = circuits.view("p");
    assertEquals(Circuits.State.OPEN, v.state());
    assertEquals("failure rate 50% of 20 attempts in 10 s", v.reason());
    assertEquals(50, v.failureRatePercent());
  }

  @Test
  void aHighRateBelowTheMinimumNumberOfAttemptsDoesNotOpenIt() {
    for (int i = 0; i < 9; i++) {
      circuits.succeeded("p");
      circuits.failed("p");
    }
    assertEquals(Circuits.State.CLOSED, circuits.state("p"));
  }

  @Test
  void attemptsOlderThanTheWindowNoLongerCount() {
    for (int i = 0; i < 9; i++) {
      circuits.succeeded("p");
      circuits.failed("p");
    }
    clock.advance(Duration.ofSeconds(11));
    circuits.succeeded("p");
    circuits.failed("p");
    Circuits.View v = circuits.view("p");
    assertEquals(Circuits.State.CLOSED, v.state());
    assertEquals(2, v.windowAttempts());
  }

  @Test
  void halfOpenAdmitsSeveralProbesAndClosesWhenEnoughSucceed() {
    openByStreak("p");
    clock.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 5; i++) {
      assertTrue(circuits.tryAcquire("p"), "probe " + i);
    }
    assertFalse(circuits.tryAcquire("p"), "no more than five probes at once");
    assertEquals(Circuits.State.HALF_OPEN, circuits.state("p"));
    circuits.succeeded("p");
    circuits.failed("p");
    circuits.succeeded("p");
    assertEquals(Circuits.State.HALF_OPEN, circuits.state("p"));
    circuits.succeeded("p");
    assertEquals(Circuits.State.CLOSED, circuits.state("p"), "three of five probes succeeded");
    assertTrue(circuits.tryAcquire("p"));
  }

  @Test
  void oneFailedProbeDoesNotReopenButAMajorityDoes() {
    openByStreak("p");
    clock.advance(Duration.ofSeconds(30));
    assertTrue(circuits.tryAcquire("p"));
    circuits.failed("p");
    assertEquals(Circuits.State.HALF_OPEN, circuits.state("p"));
    circuits.failed("p");
    circuits.failed("p");
    Circuits.View v = circuits.view("p");
    assertEquals(Circuits.State.OPEN, v.state());
    assertEquals("3 of 3 half-open probes failed", v.reason());
  }

  @Test
  void theOpenPeriodDoublesOnEachReopeningUpToFiveMinutes() {
    openByStreak("p");
    long[] expectedSeconds = {60, 120, 240, 300, 300};
    for (long expected : expectedSeconds) {
      Instant openUntil = circuits.view("p").openUntil().orElseThrow();
      clock.advance(Duration.between(clock.instant(), openUntil));
      for (int i = 0; i < 3; i++) {
        circuits.failed("p");
      }
      Circuits.View v = circuits.view("p");
      assertEquals(Circuits.State.OPEN, v.state());
      assertEquals(
          expected, Duration.between(clock.instant(), v.openUntil().orElseThrow()).toSeconds());
    }
  }

  @Test
  void theOpenPeriodShrinksBackWhileTheProviderIsHealthy() {
    openByStreak("p");
    clock.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 3; i++) {
      circuits.failed("p"); // reopens: 60 s
    }
    clock.advance(Duration.ofSeconds(60));
    outcomes("p", 3, 0); // closes
    assertEquals(Circuits.State.CLOSED, circuits.state("p"));
    clock.advance(Duration.ofSeconds(60)); // two base periods of health: two levels off
    openByStreak("p");
    assertEquals(
        30,
        Duration.between(clock.instant(), circuits.view("p").openUntil().orElseThrow())
            .toSeconds());
  }

  @Test
  void aReleasedProbeSlotIsFreeAgain() {
    openByStreak("p");
    clock.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 5; i++) {
      assertTrue(circuits.tryAcquire("p"));
    }
    assertFalse(circuits.tryAcquire("p"));
    circuits.release("p");
    assertTrue(circuits.tryAcquire("p"));
  }

  @Test
  void outcomesWhileOpenAreNotEvidence() {
    openByStreak("p");
    Instant openUntil = circuits.view("p").openUntil().orElseThrow();
    outcomes("p", 0, 10);
    assertEquals(
        openUntil,
        circuits.view("p").openUntil().orElseThrow(),
        "last-resort failures do not extend it");
  }

  @Test
  void providersAreIndependent() {
    openByStreak("p");
    assertTrue(circuits.tryAcquire("q"));
    assertEquals(Circuits.State.CLOSED, circuits.state("q"));
  }

  @Test
  void aDisabledBreakerNeverOpens() {
    BreakerPolicy d = BreakerPolicy.DEFAULT;
    Circuits off =
        new Circuits(
            clock,
            new BreakerPolicy(
                false,
                d.window(),
                d.minAttempts(),
                d.failureRatePercent(),
                d.consecutiveFailures(),
                d.openFor(),
                d.maxOpenFor(),
                d.halfOpenProbes()));
    for (int i = 0; i < 100; i++) {
      off.failed("p");
    }
    assertEquals(Circuits.State.CLOSED, off.state("p"));
    assertTrue(off.tryAcquire("p"));
  }
}
