package org.llmgateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.llmgateway.config.Auth;
import org.llmgateway.config.MockOptions;
import org.llmgateway.config.Provider;
import org.llmgateway.config.ProviderType;
import org.llmgateway.testing.MutableClock;

class StatsBreakdownTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:30Z"));
  private final Stats stats = new Stats(clock);

  private void request(int status, String errorType) {
    Exchange e = new Exchange("r", 0, 0);
    e.route = "chat_completions";
    e.status = status;
    e.endNanos = 1_000_000;
    if (!errorType.isEmpty()) {
      e.error(errorType, "x");
    }
    stats.finished(e);
  }

  private void attempt(String key, int status) {
    Provider p =
        new Provider(
            "alpha",
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
    stats.attempt(
        new AttemptRecord(
            "r",
            p,
            key,
            1,
            URI.create("mock:/x"),
            false,
            null,
            status,
            status == 200 ? AttemptOutcome.OK : AttemptOutcome.NEXT_KEY,
            "",
            1_000_000,
            null));
  }

  @Test
  void countsStatusClassesAndErrorTypesInsideTheWindow() {
    request(200, "");
    request(200, "");
    request(429, "rate_limited");
    request(502, "upstream_error");
    request(502, "upstream_error");
    request(404, "");
    Stats.Breakdown b = stats.breakdown(1);
    assertEquals(Map.of("1xx", 0L, "2xx", 2L, "3xx", 0L, "4xx", 2L, "5xx", 2L), b.statusClasses());
    assertEquals(
        List.of(
            new Stats.Count("upstream_error", 2),
            new Stats.Count("http_404", 1),
            new Stats.Count("rate_limited", 1)),
        b.errorTypes());
    clock.advance(Duration.ofMinutes(2));
    assertEquals(0, stats.breakdown(1).statusClasses().get("2xx"));
    assertEquals(2, stats.breakdown(3).statusClasses().get("2xx"));
  }

  @Test
  void ranksKeysByRiskFrom429sCooldownsAndOther4xx() {
    attempt("calm", 200);
    attempt("limited", 429);
    attempt("limited", 429);
    stats.cooledDown("alpha", "limited", 60, "429");
    attempt("refused", 401);
    Stats.Breakdown b = stats.breakdown(60);
    assertEquals(
        List.of("limited", "refused", "calm"),
        b.keys().stream().map(Stats.KeyRisk::keyId).toList());
    assertEquals(new Stats.KeyRisk("alpha", "limited", 2, 2, 2, 0, 1, 11), b.keys().get(0));
    assertEquals(1, b.keys().get(1).score());
    assertEquals(0, b.keys().get(2).score());
  }

  @Test
  void theBreakdownSurvivesASaveAndRestore() {
    request(200, "");
    request(502, "upstream_error");
    attempt("limited", 429);
    stats.cooledDown("alpha", "limited", 60, "429");
    Stats restored = new Stats(clock);
    restored.restore(stats.save());
    assertEquals(stats.breakdown(60), restored.breakdown(60));
  }

  @Test
  void aSnapshotWrittenBeforeTheConsoleStillRestores() throws Exception {
    Stats.SavedMinute old =
        ViewJson.MAPPER.readValue(
            "{\"minute\":5,\"requests\":1,\"errors\":0,\"tokens\":0,"
                + "\"latency_micros\":10,\"keys\":[{\"provider\":\"a\",\"key_id\":\"k\",\"requests\":1,\"errors\":0,"
                + "\"latency_micros\":10}]}",
            Stats.SavedMinute.class);
    assertEquals(
        new Stats.SavedMinute(
            5, 1, 0, 0, 10, List.of(new Stats.SavedCell("a", "k", 1, 0, 10, 0, 0, 0)), null, null),
        old);
    Stats restored = new Stats(clock);
    long minute = clock.millis() / 60_000;
    restored.restore(
        new Stats.Saved(
            new Stats.Totals(1, 0, 0),
            List.of(
                new Stats.SavedMinute(
                    minute,
                    1,
                    0,
                    0,
                    10,
                    List.of(new Stats.SavedCell("alpha", "k", 1, 0, 10, 0, 0, 0)),
                    null,
                    null)),
            List.of()));
    assertEquals(1, restored.view(1).totals().requests());
    assertEquals(0, restored.breakdown(1).statusClasses().get("2xx"));
  }
}
