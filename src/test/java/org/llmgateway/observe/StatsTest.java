package org.llmgateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.llmgateway.config.Auth;
import org.llmgateway.config.MockOptions;
import org.llmgateway.config.Provider;
import org.llmgateway.config.ProviderType;
import org.llmgateway.testing.MutableClock;

class StatsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:30Z"));
  private final Stats stats = new Stats(clock);

  private static Exchange exchange(int status, long tokens) {
    Exchange e = new Exchange("r", 0, 0);
    e.route = "chat_completions";
    e.status = status;
    e.endNanos = 2_000_000; // 2 ms
    e.totalTokens = tokens;
    return e;
  }

  private static AttemptRecord attempt(String provider, String key, AttemptOutcome outcome) {
    Provider p =
        new Provider(
            provider,
            ProviderType.MOCK,
            Optional.empty(),
            Map.of(),
            Auth.DEFAULT,
            Map.of(),
            Map.of(),
            List.of(),
            1,
            Duration.ofSeconds(1),
            true,
            MockOptions.DEFAULT);
    return new AttemptRecord(
        "r", p, key, 1, URI.create("mock:/x"), false, null, 200, outcome, "", 4_000_000, null);
  }

  @Test
  void countsPerMinuteAndOnlyInsideTheWindow() {
    stats.finished(exchange(200, 10));
    stats.finished(exchange(502, 0));
    clock.advance(Duration.ofMinutes(2));
    stats.finished(exchange(200, 5));
    Stats.View two = stats.view(2);
    assertEquals(1, two.totals().requests(), "the first minute is outside a 2-minute window");
    assertEquals(List.of(0L, 1L), two.series().stream().map(Stats.Point::requests).toList());
    Stats.View three = stats.view(3);
    assertEquals(3, three.totals().requests());
    assertEquals(1, three.totals().errors());
    assertEquals(15, three.totals().tokens());
    assertEquals(Instant.parse("2026-01-01T10:00:00Z"), three.series().getFirst().minute());
    assertEquals(2.0, three.series().getFirst().avgLatencyMs(), 1e-9);
    assertEquals(3, stats.allTime().requests());
  }

  @Test
  void ignoresNonApiRoutes() {
    Exchange health = exchange(200, 0);
    health.route = "other";
    stats.finished(health);
    Exchange admin = exchange(200, 0);
    admin.route = "admin";
    stats.finished(admin);
    assertEquals(0, stats.view(1).totals().requests());
  }

  @Test
  void aMinuteFrom24HoursAgoIsReplacedNotAddedTo() {
    stats.finished(exchange(200, 0));
    clock.advance(Duration.ofMinutes(Stats.MINUTES));
    stats.finished(exchange(200, 0));
    assertEquals(1, stats.view(Stats.MINUTES).totals().requests());
    assertEquals(2, stats.allTime().requests());
  }

  @Test
  void aggregatesAttemptsPerProviderAndKey() {
    stats.attempt(attempt("p", "k1", AttemptOutcome.NEXT_KEY));
    stats.attempt(attempt("p", "k2", AttemptOutcome.OK));
    stats.attempt(attempt("q", "k1", AttemptOutcome.OK));
    Stats.View v = stats.view(1);
    assertEquals(
        List.of(new Stats.Usage("p", "", 2, 1, 4.0), new Stats.Usage("q", "", 1, 0, 4.0)),
        v.providers());
    assertEquals(
        List.of(
            new Stats.Usage("p", "k1", 1, 1, 4.0),
            new Stats.Usage("p", "k2", 1, 0, 4.0),
            new Stats.Usage("q", "k1", 1, 0, 4.0)),
        v.keys());
  }

  @Test
  void keepsTheLatestCooldownEventsNewestFirst() {
    for (int i = 0; i < Stats.MAX_COOLDOWN_EVENTS + 5; i++) {
      stats.cooledDown("p", "k" + i, 60, "HTTP 429");
    }
    List<Stats.CooldownEvent> events = stats.view(1).cooldowns();
    assertEquals(Stats.MAX_COOLDOWN_EVENTS, events.size());
    assertEquals("k" + (Stats.MAX_COOLDOWN_EVENTS + 4), events.getFirst().keyId());
    assertEquals(clock.instant().plusSeconds(60), events.getFirst().until());
  }

  @Test
  void saveAndRestoreRoundTripsThroughJson() throws Exception {
    stats.finished(exchange(200, 7));
    stats.attempt(attempt("p", "k1", AttemptOutcome.OK));
    stats.cooledDown("p", "k1", 60, "HTTP 429");
    stats.cooledDown("p", "k2", 60, "HTTP 401");
    byte[] json = ViewJson.MAPPER.writeValueAsBytes(stats.save());
    Stats restored = new Stats(clock);
    restored.restore(ViewJson.MAPPER.readValue(json, Stats.Saved.class));
    assertEquals(stats.view(5).totals(), restored.view(5).totals());
    assertEquals(stats.view(5).keys(), restored.view(5).keys());
    assertEquals(stats.view(5).cooldowns(), restored.view(5).cooldowns());
    assertEquals(stats.allTime(), restored.allTime());
  }

  @Test
  void concurrentWritersLoseNoCountAcrossMinuteBoundaries() throws Exception {
    int threads = 8;
    int each = 5_000;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    stats.finished(exchange(200, 1));
                    if (i % 1000 == 0) {
                      clock.advance(Duration.ofSeconds(20));
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
    assertEquals(threads * each, stats.allTime().requests());
    assertEquals(threads * each, stats.view(Stats.MINUTES).totals().requests());
  }
}
