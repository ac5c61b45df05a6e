package org.llmgateway.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.ChaosSoak;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.RedisServer;

/**
 * The availability promise with state shared: two replicas behind a round-robin balancer, the same
 * seeded faults (provider errors, drops, hangs and 429s) with Redis sharing cooldowns and breaker
 * evidence, and with each replica on its own. Sharing must cost no availability. Runs for {@code
 * soak.seconds} (default 3; {@code src/bench/soak.sh} runs it longer).
 */
class FleetSoakTest {
  private static final double MIN_SHARE = 0.95;

  private static ChaosSoak soak;
  private static RedisServer redis;

  @BeforeAll
  static void start() {
    soak = new ChaosSoak();
    redis = RedisServer.onFreePort();
  }

  @AfterAll
  static void stop() {
    soak.close();
    redis.close();
  }

  private static ChaosSoak.Report run(String label, boolean shared) {
    ChaosSoak.Load load = ChaosSoak.Load.fromSystemProperties(label);
    List<GatewayUnderTest> replicas = new ArrayList<>();
    try {
      for (String id : List.of("one", "two")) {
        replicas.add(
            shared
                ? soak.startGateway(
                    load,
                    "GATEWAY_REDIS_URL",
                    redis.url(),
                    "GATEWAY_REDIS_TIMEOUT_MS",
                    "200",
                    "GATEWAY_REDIS_PREFIX",
                    "soak-" + System.nanoTime(),
                    "GATEWAY_REPLICA_ID",
                    id)
                : soak.startGateway(load));
      }
      ChaosSoak.Report report = soak.run(replicas, load, ChaosSoak.Mix.withRateLimits(0.20));
      System.out.println("soak: " + report.line());
      assertEquals(List.of(), report.violations().stream().limit(10).toList(), label);
      return report;
    } finally {
      replicas.forEach(GatewayUnderTest::close);
    }
  }

  @Test
  void sharingCooldownsAndBreakerEvidenceThroughRedisCostsNoAvailability() {
    ChaosSoak.Report shared = run("two replicas sharing state through redis", true);
    ChaosSoak.Report apart = run("two replicas each on its own", false);
    assertTrue(shared.okShare() >= MIN_SHARE, shared.line());
    assertTrue(apart.okShare() >= MIN_SHARE, apart.line());
    assertTrue(shared.okShare() >= apart.okShare() - 0.01, shared.line() + "\n" + apart.line());
  }
}
