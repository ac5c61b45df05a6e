package org.llmgateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.async.EventRoute;
import org.apache.logging.log4j.util.PropertiesUtil;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.PromText;

/**
 * Log lines reach the disk within a second with no traffic after them; lines that must be dropped
 * are counted.
 */
class LogDurabilityTest {
  private static final Path LOG_DIR = Path.of(System.getProperty("gateway.log.dir", "logs"));
  private static final String MOCK =
      """
      version: 1
      providers:
        mock: {type: mock, mock: {delay_ms: 0}}
      models:
        demo:
          provider_map: {mock: demo-upstream}
      """;

  private static String read(String file) {
    try {
      Path p = LOG_DIR.resolve(file);
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aSingleRequestsAccessAndUpstreamLinesAreOnDiskWithinOneSecondWithNoTrafficAfterIt() {
    try (GatewayUnderTest gw = GatewayUnderTest.builder().file("gateway.yaml", MOCK).start()) {
      String id = "durable-" + Long.toHexString(System.nanoTime());
      assertEquals(
          200,
          gw.post(
                  "/v1/chat/completions",
                  "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                  "X-Request-Id",
                  id)
              .statusCode());
      Await.until(
          Duration.ofSeconds(1),
          "the access and upstream lines of " + id + " on disk",
          () -> read("access.log").contains(id) && read("upstream.log").contains(id));
    }
  }

  @Test
  void aFullBufferDropsInfoLinesCountedPerLogAndKeepsWarnings() {
    LogDropPolicy policy = new LogDropPolicy();
    LogDropPolicy.Dropped before = LogDropPolicy.dropped();
    assertEquals(EventRoute.DISCARD, policy.getRoute(-1, LogLevels.ACCESS));
    assertEquals(EventRoute.DISCARD, policy.getRoute(-1, LogLevels.UPSTREAM));
    assertEquals(EventRoute.DISCARD, policy.getRoute(-1, LogLevels.UPSTREAM));
    assertEquals(EventRoute.DISCARD, policy.getRoute(-1, Level.INFO));
    assertNotEquals(EventRoute.DISCARD, policy.getRoute(-1, Level.WARN));
    assertNotEquals(EventRoute.DISCARD, policy.getRoute(-1, Level.ERROR));
    LogDropPolicy.Dropped after = LogDropPolicy.dropped();
    assertEquals(1, after.access() - before.access());
    assertEquals(2, after.upstream() - before.upstream());
    assertEquals(1, after.app() - before.app());

    PromText metrics = PromText.parse(metricsText());
    assertEquals(
        after.upstream(), metrics.sum("gateway_log_events_dropped_total", "log", "upstream"));
    assertEquals(after.access(), metrics.sum("gateway_log_events_dropped_total", "log", "access"));
  }

  private static String metricsText() {
    try (GatewayUnderTest gw = GatewayUnderTest.builder().file("gateway.yaml", MOCK).start()) {
      return gw.get("/metrics").body();
    }
  }

  @Test
  void theConfiguredQueueFullPolicyIsOurs() {
    assertEquals(
        LogDropPolicy.class.getName(),
        System.getProperty(
            "log4j2.asyncQueueFullPolicy",
            PropertiesUtil.getProperties().getStringProperty("log4j2.asyncQueueFullPolicy")));
  }
}
