package org.llmgateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llmgateway.routing.KeyPool;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.MutableClock;

class StatsFileTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void writesPeriodicallyWhileRunning(@TempDir Path dir) {
    Path file = dir.resolve("stats.json");
    StatsFile stats =
        new StatsFile(file, new Stats(clock), new KeyPool(clock), clock, Duration.ofMillis(20));
    stats.start();
    try {
      Await.until(Duration.ofSeconds(2), "a periodic write", () -> Files.exists(file));
    } finally {
      stats.close();
    }
  }

  @Test
  void restoresOnlyCooldownsThatHaveNotEndedYet(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("stats.json");
    KeyPool keys = new KeyPool(clock);
    keys.failed("p", "short", "HTTP 429", Duration.ofMinutes(1));
    keys.failed("p", "long", "HTTP 429", Duration.ofMinutes(10));
    new StatsFile(file, new Stats(clock), keys, clock, Duration.ofSeconds(30)).save();

    clock.advance(Duration.ofMinutes(5));
    KeyPool restored = new KeyPool(clock);
    new StatsFile(file, new Stats(clock), restored, clock, Duration.ofSeconds(30)).load();
    assertFalse(restored.view("p", "short").cooling());
    assertTrue(restored.view("p", "long").cooling());
    assertEquals(
        clock.instant().plus(Duration.ofMinutes(5)),
        restored.view("p", "long").coolingUntil().orElseThrow());
    assertEquals(1, restored.view("p", "short").failures());
  }

  @Test
  void anUnreadableFileIsSkippedNotFatal(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("stats.json");
    Files.writeString(file, "{not json");
    Stats stats = new Stats(clock);
    new StatsFile(file, stats, new KeyPool(clock), clock, Duration.ofSeconds(30)).load();
    assertEquals(0, stats.allTime().requests());
  }
}
