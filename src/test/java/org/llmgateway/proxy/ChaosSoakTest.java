package org.llmgateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.ChaosSoak;
import org.llmgateway.testing.GatewayUnderTest;

/**
 * The availability promise under partial faults: 3 providers x 2 keys, every upstream attempt
 * failing at random, 50 clients at 100 requests/s, streams and non-streams mixed. Seeded. Each run
 * lasts {@code soak.seconds} (default 3; {@code src/bench/soak.sh --duration 300} runs the same
 * scenarios for longer).
 */
class ChaosSoakTest {
  private static final double MIN_SHARE = 0.95;
  private static ChaosSoak soak;

  @BeforeAll
  static void upstreams() {
    soak = new ChaosSoak();
  }

  @AfterAll
  static void stop() {
    soak.close();
  }

  private static ChaosSoak.Load load(String label) {
    return ChaosSoak.Load.fromSystemProperties(label);
  }

  /**
   * Runs the load on a fresh gateway, checks the rules, and that a request right after the faults
   * succeeds.
   */
  private static ChaosSoak.Report run(String label, ChaosSoak.Mix mix, String... env) {
    ChaosSoak.Load load = load(label);
    try (GatewayUnderTest gw = soak.startGateway(load, env)) {
      ChaosSoak.Report report = soak.run(gw, load, mix);
      System.out.println("soak: " + report.line());
      assertEquals(List.of(), report.violations().stream().limit(10).toList(), label);
      for (ChaosSoak.Outcome o : soak.healthyRequests(gw, load)) {
        assertEquals(
            200, o.status(), label + ": the first request after the faults stopped: " + o.body());
        assertTrue(o.complete(), label + ": complete answer after the faults stopped: " + o.body());
      }
      return report;
    }
  }

  @Test
  void withTwentyPercentProviderFaultsAtLeast95PercentOfRequestsSucceed() {
    ChaosSoak.Report r = run("provider faults 20%", ChaosSoak.Mix.providerFaults(0.20));
    assertTrue(r.okShare() >= MIN_SHARE, r.line());
  }

  @Test
  void withThirtyPercentProviderFaultsAtLeast95PercentOfRequestsSucceed() {
    ChaosSoak.Report r = run("provider faults 30%", ChaosSoak.Mix.providerFaults(0.30));
    assertTrue(r.okShare() >= MIN_SHARE, r.line());
  }

  @Test
  void withRateLimitsMixedInTheBreakerCostsNoAvailabilityAndTheKeyWaitKeeps95Percent() {
    ChaosSoak.Report on = run("429s mixed in, breaker on", ChaosSoak.Mix.withRateLimits(0.20));
    ChaosSoak.Report off =
        run(
            "429s mixed in, breaker off",
            ChaosSoak.Mix.withRateLimits(0.20),
            "GATEWAY_BREAKER_ENABLED",
            "false");
    assertTrue(on.okShare() >= MIN_SHARE, on.line());
    assertTrue(off.okShare() >= MIN_SHARE, off.line());
    assertTrue(Math.abs(on.okShare() - off.okShare()) <= 0.01, on.line() + "\n" + off.line());
    if (Boolean.getBoolean("soak.compareWait")) {
      run(
          "429s mixed in, key wait off",
          ChaosSoak.Mix.withRateLimits(0.20),
          "GATEWAY_KEY_COOLDOWN_WAIT_MS",
          "0");
    }
  }
}
