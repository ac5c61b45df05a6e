package org.llmgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.MutableClock;

class LoginThrottleTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
  private final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void anAddressIsRefusedAfterTenFailuresUntilTheOldestLeavesTheWindow() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
      throttle.failed("10.0.0.1");
      clock.advance(Duration.ofSeconds(10));
    }
    assertEquals(Duration.ZERO, throttle.wait("10.0.0.1"));
    throttle.failed("10.0.0.1");
    assertEquals(Duration.ofMinutes(15).minusSeconds(90), throttle.wait("10.0.0.1"));
    assertEquals(Duration.ZERO, throttle.wait("10.0.0.2"), "other addresses are not affected");
    clock.advance(Duration.ofMinutes(15).minusSeconds(90));
    assertEquals(Duration.ZERO, throttle.wait("10.0.0.1"));
  }

  @Test
  void aSuccessfulLoginClearsTheFailures() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
      throttle.failed("10.0.0.1");
    }
    throttle.succeeded("10.0.0.1");
    throttle.failed("10.0.0.1");
    assertEquals(Duration.ZERO, throttle.wait("10.0.0.1"));
  }
}
