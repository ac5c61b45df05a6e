package org.llmgateway.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.config.Secret;
import org.llmgateway.limit.LocalRateLimits;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.RedisServer;

/**
 * What the rate-limit check costs with Redis on the same machine: the latency of one check (the
 * admit script, the charge script, and the in-memory limiter for comparison), timed in-process over
 * many calls; and the throughput of a real gateway (built-in mock provider, so only the gateway and
 * Redis are measured) for a key limited through Redis against a key without limits, in alternating
 * phases of the same run. The normal test run does a short pass; {@code src/bench/ratelimit.sh} a
 * long one ({@code ratelimit.iterations}, {@code ratelimit.seconds}).
 */
class RateLimitOverheadTest {
  private static final int ITERATIONS = Integer.getInteger("ratelimit.iterations", 2_000);
  private static final int PHASE_SECONDS = Integer.getInteger("ratelimit.seconds", 1);
  private static final int PHASES = Integer.getInteger("ratelimit.phases", 1);
  private static final int CLIENTS = Integer.getInteger("ratelimit.clients", 16);
  private static final int WARMUP_SECONDS = Integer.getInteger("ratelimit.warmup", 0);

  /** A limit no benchmark reaches: every request is checked and admitted. */
  private static final long UNREACHED = GatewayKey.MAX_RATE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private RedisServer redis;
  private RedisLink link;

  @BeforeEach
  void start() {
    redis = RedisServer.onFreePort();
    link =
        new RedisLink(
            new FleetSettings(
                URI.create(redis.url()),
                Optional.empty(),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                "bench",
                "gwbench",
                List.of()),
            Clock.systemUTC(),
            registry);
  }

  @AfterEach
  void stop() {
    link.close();
    redis.close();
  }

  @Test
  void oneCheckThroughRedisTakesAFractionOfAMillisecond() {
    GatewayKey key =
        new GatewayKey(
            "bench",
            new Secret("sk-gw-bench"),
            "t",
            true,
            "",
            Optional.empty(),
            OptionalLong.of(UNREACHED),
            OptionalLong.of(UNREACHED));
    SharedRateLimits shared = new SharedRateLimits(link, new LocalRateLimits(Clock.systemUTC()));
    long[] admit = time(() -> assertTrue(shared.admit(key).admitted()));
    long[] charge =
        time(
            () -> {
              shared.charge(key, 100);
              shared.flush(); // the charger thread's work, timed here on this thread
            });
    LocalRateLimits local = new LocalRateLimits(Clock.systemUTC());
    long[] inMemory = time(() -> assertTrue(local.admit(key).admitted()));
    report("admit script via Redis (EVALSHA)", admit);
    report("charge script via Redis (EVALSHA)", charge);
    shared.close();
    report("in-memory admit", inMemory);
    assertEquals(
        List.of(),
        registry.scrape().stream()
            .filter(m -> m.getMetadata().getName().equals("gateway_redis_fallbacks"))
            .flatMap(m -> m.getDataPoints().stream())
            .toList(),
        "every call answered by Redis, none fell back to the local limiter");
    assertTrue(percentile(admit, 50) < 5_000_000, "a sane p50 even on a loaded machine");
  }

  @Test
  void throughputOfAKeyLimitedThroughRedisBesideAKeyWithoutLimits() throws InterruptedException {
    try (GatewayUnderTest gw =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                """
                version: 1
                providers:
                  mock: {type: mock, mock: {delay_ms: 0}}
                models:
                  demo: {provider_map: {mock: demo}}
                gateway_keys:
                  - {key_id: limited, key: sk-gw-limited, rpm: %d, tpm: %d}
                  - {key_id: requests, key: sk-gw-requests, rpm: %d}
                  - {key_id: free, key: sk-gw-free}
                """
                    .formatted(UNREACHED, UNREACHED, UNREACHED))
            .env("GATEWAY_AUTH_ENABLED", "true")
            .env("GATEWAY_REDIS_URL", redis.url())
            .env("GATEWAY_REDIS_TIMEOUT_MS", "500")
            .start()) {
      Phase free = new Phase("no limit", "sk-gw-free");
      Phase requests = new Phase("rpm via Redis", "sk-gw-requests");
      Phase limited = new Phase("rpm+tpm via Redis", "sk-gw-limited");
      List<Phase> all = List.of(free, requests, limited);
      for (Phase p : all) {
        if (WARMUP_SECONDS > 0) {
          p.run(gw, WARMUP_SECONDS); // not counted
        }
        p.reset();
      }
      for (int i = 0; i < PHASES; i++) {
        for (Phase p : all) {
          p.run(gw, PHASE_SECONDS);
        }
      }
      for (Phase p : all) {
        p.report();
        assertEquals(0, p.failed.get(), p.name + ": every request answered 200");
        assertTrue(p.ok.get() > 0, p.name);
      }
    }
  }

  /** One kind of traffic: {@link #CLIENTS} clients back to back with one key. */
  private static final class Phase {
    final String name;
    final String key;
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong broken = new AtomicLong();
    volatile String lastBroken = "";
    final List<Long> latencies = new ArrayList<>();
    long nanos;

    Phase(String name, String key) {
      this.name = name;
      this.key = key;
    }

    void reset() {
      ok.set(0);
      failed.set(0);
      broken.set(0);
      latencies.clear();
      nanos = 0;
    }

    void run(GatewayUnderTest gw, int seconds) throws InterruptedException {
      HttpRequest request =
          gw.request("/v1/chat/completions", "Authorization", "Bearer " + key)
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
              .build();
      long start = System.nanoTime();
      long end = start + Duration.ofSeconds(seconds).toNanos();
      List<Thread> clients = new ArrayList<>();
      List<List<Long>> perClient = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        List<Long> mine = new ArrayList<>();
        perClient.add(mine);
        clients.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        try {
                          HttpResponse<String> r =
                              gw.send(request, HttpResponse.BodyHandlers.ofString());
                          mine.add(System.nanoTime() - t0);
                          (r.statusCode() == 200 ? ok : failed).incrementAndGet();
                        } catch (UncheckedIOException e) {
                          // counted and shown, not fatal to the client: the load stays at CLIENTS
                          broken.incrementAndGet();
                          lastBroken = String.valueOf(e.getCause());
                        }
                      }
                    }));
      }
      for (Thread t : clients) {
        t.join();
      }
      nanos += System.nanoTime() - start;
      perClient.forEach(latencies::addAll);
    }

    void report() {
      long[] l = latencies.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(l);
      System.out.printf(
          Locale.ROOT,
          "ratelimit: %-20s %8.0f req/s  p50 %6.3f ms  p99 %6.3f ms  (%d requests, %d clients,"
              + " %d not 200, %d broken connections%s)%n",
          name,
          ok.get() / (nanos / 1e9),
          percentile(l, 50) / 1e6,
          percentile(l, 99) / 1e6,
          ok.get(),
          CLIENTS,
          failed.get(),
          broken.get(),
          broken.get() == 0 ? "" : ": " + lastBroken);
    }
  }

  /** Warms up, then times {@link #ITERATIONS} calls one by one; sorted nanoseconds. */
  private static long[] time(Runnable call) {
    for (int i = 0; i < Math.max(1_000, ITERATIONS / 10); i++) {
      call.run();
    }
    long[] out = new long[ITERATIONS];
    for (int i = 0; i < ITERATIONS; i++) {
      long t0 = System.nanoTime();
      call.run();
      out[i] = System.nanoTime() - t0;
    }
    Arrays.sort(out);
    return out;
  }

  private static long percentile(long[] sorted, int p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
  }

  private static void report(String what, long[] sorted) {
    System.out.printf(
        Locale.ROOT,
        "ratelimit: %-34s p50 %7.1f us  p90 %7.1f us  p99 %7.1f us  max %8.1f us  (%d calls)%n",
        what,
        percentile(sorted, 50) / 1e3,
        percentile(sorted, 90) / 1e3,
        percentile(sorted, 99) / 1e3,
        sorted[sorted.length - 1] / 1e3,
        sorted.length);
  }
}
