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
  private final Circuits circuits = new Circuits(clock, 3, Duration.ofSeconds(30));

  @Test
  void opensAfterThreeFailuresInARow() {
    circuits.failed("p");
    circuits.failed("p");
    assertTrue(circuits.tryAcquire("p"));
    circuits.failed("p");
    assertEquals(Circuits.State.OPEN, circuits.state("p"));
    assertFalse(circuits.tryAcquire("p"));
  }

  @Test
  void aSuccessResetsTheCount() {
    circuits.failed("p");
    circuits.failed("p");
    circuits.succeeded("p");
    circuits.failed("p");
    assertEquals(Circuits.State.CLOSED, circuits.state("p"));
  }

  @Test
  void afterTheOpenPeriodOneProbeIsLetThroughAndItsSuccessCloses() {
    for (int i = 0; i < 3; i++) {
      circuits.failed("p");
    }
    clock.advance(Duration.ofSeconds(31));
    assertTrue(circuits.tryAcquire("p"), "the probe");
    assertFalse(circuits.tryAcquire("p"), "only one probe at a time");
    circuits.succeeded("p");
    assertEquals(Circuits.State.CLOSED, circuits.state("p"));
    assertTrue(circuits.tryAcquire("p"));
  }

  @Test
  void aFailedProbeOpensTheCircuitAgain() {
    for (int i = 0; i < 3; i++) {
      circuits.failed("p");
    }
    clock.advance(Duration.ofSeconds(31));
    assertTrue(circuits.tryAcquire("p"));
    circuits.failed("p");
    assertEquals(Circuits.State.OPEN, circuits.state("p"));
    assertFalse(circuits.tryAcquire("p"));
  }

  @Test
  void providersAreIndependent() {
    for (int i = 0; i < 3; i++) {
      circuits.failed("p");
    }
    assertTrue(circuits.tryAcquire("q"));
  }

  @Test
  void aProbeGivenBackWithoutAVerdictLetsTheNextRequestProbe() {
    for (int i = 0; i < 3; i++) {
      circuits.failed("p");
    }
    clock.advance(Duration.ofSeconds(31));
    assertTrue(circuits.tryAcquire("p"));
    circuits.release("p");
    assertTrue(circuits.tryAcquire("p"), "the released probe slot is free again");
  }
}
