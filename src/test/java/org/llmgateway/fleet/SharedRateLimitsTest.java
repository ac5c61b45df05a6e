package org.llmgateway.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.config.Secret;
import org.llmgateway.limit.LimitKind;
import org.llmgateway.limit.LocalRateLimits;
import org.llmgateway.limit.Quota;
import org.llmgateway.limit.RateDecision;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.MutableClock;
import org.llmgateway.testing.RedisServer;
import redis.clients.jedis.Jedis;

/**
 * The Lua scripts of the fleet's rate limits against a real redis-server, through two links (two
 * replicas' views); times come from the Redis server's clock, so waits are checked within the few
 * milliseconds the test itself takes.
 */
class SharedRateLimitsTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  /** How much real time the test's own steps may take between Redis' clock readings. */
  private static final long SLACK = 2 * SECOND;

  private final MutableClock localClock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
  private final List<RedisLink> links = new ArrayList<>();
  private final List<SharedRateLimits> replicas = new ArrayList<>();
  private RedisServer redis;

  @BeforeEach
  void start() {
    redis = RedisServer.onFreePort();
  }

  @AfterEach
  void stop() {
    replicas.forEach(SharedRateLimits::close);
    links.forEach(RedisLink::close);
    redis.close();
  }

  private RedisLink link(String replica) {
    RedisLink l =
        new RedisLink(
            new FleetSettings(
                URI.create(redis.url()),
                Optional.empty(),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                replica,
                "gwtest",
                List.of()),
            Clock.systemUTC(),
            new PrometheusRegistry());
    links.add(l);
    return l;
  }

  private SharedRateLimits replica(RedisLink link) {
    SharedRateLimits r = new SharedRateLimits(link, new LocalRateLimits(localClock));
    replicas.add(r);
    return r;
  }

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

  private static void assertWithin(long expected, long actual, String what) {
    assertTrue(
        actual <= expected && actual > expected - SLACK,
        what
            + ": expected at most "
            + expected
            + " and more than "
            + (expected - SLACK)
            + ", got "
            + actual);
  }

  @Test
  void twoReplicasShareOneRequestBudgetAndTheNumbersForTheHeaders() {
    SharedRateLimits a = replica(link("a"));
    SharedRateLimits b = replica(link("b"));
    GatewayKey k = key("team", 10L, null);
    RateDecision first = a.admit(k);
    assertTrue(first.admitted());
    Quota q = first.requests().orElseThrow();
    assertEquals(10, q.limit());
    assertEquals(9, q.remaining());
    assertWithin(6 * SECOND, q.resetNanos(), "reset after one request");
    assertEquals(Optional.empty(), first.tokens());
    int admitted = 1;
    for (int i = 0; i < 20; i++) {
      if ((i % 2 == 0 ? b : a).admit(k).admitted()) {
        admitted++;
      }
    }
    assertEquals(10, admitted, "exactly the limit across both replicas");
    RateDecision refused = b.admit(k);
    assertEquals(Optional.of(LimitKind.REQUESTS), refused.refusedBy());
    assertWithin(6 * SECOND, refused.retryAfterNanos(), "wait for the next cell");
    assertEquals(0, refused.requests().orElseThrow().remaining());
    assertWithin(60 * SECOND, refused.requests().orElseThrow().resetNanos(), "full again");
    try (Jedis j = redis.client()) {
      long ttl = j.pttl("gwtest:ratelimit:team");
      assertTrue(
          ttl > 59_000 && ttl <= 61_000, "the state expires once the budget is full: " + ttl);
    }
  }

  @Test
  void tokensChargedOnOneReplicaRefuseTheNextRequestOnTheOther() {
    SharedRateLimits a = replica(link("a"));
    SharedRateLimits b = replica(link("b"));
    GatewayKey k = key("tok", null, 1000L);
    RateDecision first = a.admit(k);
    assertEquals(new Quota(1000, 1000, 0), first.tokens().orElseThrow());
    a.charge(k, 600);
    a.flush(); // as the charger thread does within a few milliseconds
    RateDecision second = b.admit(k);
    assertTrue(second.admitted());
    assertEquals(400, second.tokens().orElseThrow().remaining());
    b.charge(k, 500);
    b.charge(k, 400);
    b.flush();
    RateDecision refused = a.admit(k);
    assertEquals(Optional.of(LimitKind.TOKENS), refused.refusedBy());
    // 1,500 of 1,000: 30 s of debt plus 60 ms for one token
    assertWithin(30_060 * MS, refused.retryAfterNanos(), "debt drained");
    assertEquals(0, refused.tokens().orElseThrow().remaining());
    assertWithin(90 * SECOND, refused.tokens().orElseThrow().resetNanos(), "full again");
  }

  @Test
  void aChangedLimitKeepsWhatWasUsedInRedisToo() {
    SharedRateLimits a = replica(link("a"));
    for (int i = 0; i < 10; i++) {
      assertTrue(a.admit(key("chg", 10L, null)).admitted());
    }
    assertFalse(a.admit(key("chg", 10L, null)).admitted());
    for (int i = 0; i < 10; i++) {
      assertTrue(a.admit(key("chg", 20L, null)).admitted(), "raised to 20: request " + i);
    }
    RateDecision refused = a.admit(key("chg", 20L, null));
    assertFalse(refused.admitted());
    assertWithin(3 * SECOND, refused.retryAfterNanos(), "the new emission interval");
  }

  @Test
  void aRedisThatForgotTheScriptsGetsThemAgainWithEval() {
    SharedRateLimits a = replica(link("a"));
    GatewayKey k = key("flush", 10L, 100L);
    assertTrue(a.admit(k).admitted());
    try (Jedis j = redis.client()) {
      assertTrue(j.scriptExists(RateLimitScripts.ADMIT.sha()));
      j.scriptFlush();
    }
    RateDecision after = a.admit(k);
    assertTrue(after.admitted());
    assertEquals(8, after.requests().orElseThrow().remaining(), "the state survived the flush");
    a.charge(k, 50);
    a.flush();
    assertEquals(50, a.admit(k).tokens().orElseThrow().remaining());
    try (Jedis j = redis.client()) {
      assertTrue(j.scriptExists(RateLimitScripts.ADMIT.sha()));
      assertTrue(j.scriptExists(RateLimitScripts.CHARGE.sha()));
    }
  }

  @Test
  void theChargerThreadSendsChargesWithinMilliseconds() {
    SharedRateLimits a = replica(link("a"));
    SharedRateLimits b = replica(link("b"));
    GatewayKey k = key("later", null, 100L);
    a.charge(k, 150);
    Await.until(
        Duration.ofSeconds(5),
        "the charge in Redis",
        () -> b.admit(k).refusedBy().equals(Optional.of(LimitKind.TOKENS)));
  }

  @Test
  void closingSendsTheChargesNotYetSent() {
    SharedRateLimits a = replica(link("a"));
    GatewayKey k = key("closing", null, 100L);
    a.charge(k, 150);
    a.close();
    assertEquals(Optional.of(LimitKind.TOKENS), replica(link("b")).admit(k).refusedBy());
  }

  @Test
  void withRedisDownEachReplicaEnforcesTheSameLimitsOnItsOwnAndSharesAgainAfter() {
    RedisLink link = link("a");
    SharedRateLimits a = replica(link);
    GatewayKey k = key("down", 3L, null);
    assertTrue(a.admit(k).admitted());
    redis.kill();
    for (int i = 0; i < 3; i++) {
      assertTrue(a.admit(k).admitted(), "local budget, request " + i);
    }
    RateDecision local = a.admit(k);
    assertEquals(Optional.of(LimitKind.REQUESTS), local.refusedBy());
    assertEquals(20 * SECOND, local.retryAfterNanos(), "the local clock's exact wait");
    assertFalse(link.up());
    redis.restart();
    link.probe();
    assertTrue(link.up());
    RateDecision shared = a.admit(k);
    assertTrue(shared.admitted(), "the restarted Redis starts empty");
    assertEquals(2, shared.requests().orElseThrow().remaining());
  }
}
