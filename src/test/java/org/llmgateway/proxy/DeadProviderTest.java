package org.llmgateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.PromText;

/**
 * One provider down hard (connection refused) beside two healthy ones, under steady traffic: the
 * traffic moves to the healthy ones, the dead one gets a bounded number of attempts (a few probes
 * per open period once its circuit opened), and it gets traffic again within one open period after
 * it comes back.
 */
class DeadProviderTest {
  private static final String CHAT =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final int OPEN_SEC = 1;
  private static final int MAX_OPEN_SEC = 2;
  private static final int PROBES = 5;
  private static final long GAP_NANOS = 10_000_000L; // 100 requests/s
  private final FakeUpstream b = new FakeUpstream();
  private final FakeUpstream c = new FakeUpstream();
  private FakeUpstream revived;
  private GatewayUnderTest gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    b.close();
    c.close();
    if (revived != null) {
      revived.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String provider(String name, String url) {
    return "  "
        + name
        + ":\n    base_url: \""
        + url
        + "\"\n    timeout_ms: 1000\n"
        + "    endpoints: {chat_completions: /v1/chat/completions}\n    keys: [{id: "
        + name
        + "1, value: sk-"
        + name
        + "}]\n";
  }

  private double attemptsTo(String provider) {
    return PromText.parse(gw.get("/metrics").body())
        .sum("gateway_upstream_attempts_total", "provider", provider);
  }

  private double circuit(String provider) {
    return PromText.parse(gw.get("/metrics").body())
        .sum("gateway_circuit_state", "provider", provider);
  }

  @Test
  void trafficMovesOffADeadProviderWithFewProbesAndReturnsWithinOneOpenPeriodAfterItComesBack()
      throws Exception {
    int deadPort = freePort();
    gw =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                "version: 1\nproviders:\n"
                    + provider("a", "http://127.0.0.1:" + deadPort)
                    + provider("b", b.baseUrl())
                    + provider("c", c.baseUrl())
                    + "models:\n  m:\n    provider_map: {a: up, b: up, c: up}\n")
            .env("GATEWAY_BREAKER_OPEN_SEC", Integer.toString(OPEN_SEC))
            .env("GATEWAY_BREAKER_MAX_OPEN_SEC", Integer.toString(MAX_OPEN_SEC))
            .env("GATEWAY_BREAKER_HALF_OPEN_PROBES", Integer.toString(PROBES))
            .start();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int client = 0; client < 4; client++) {
        load.submit(
            () -> {
              while (running.get()) {
                HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
                sent.incrementAndGet();
                if (r.statusCode() != 200) {
                  failed.incrementAndGet();
                }
                LockSupport.parkNanos(4 * GAP_NANOS);
              }
            });
      }
      long downFor = 3_000;
      long started = System.nanoTime();
      Await.until(Duration.ofSeconds(5), "a's circuit opens", () -> circuit("a") != 0);
      LockSupport.parkNanos(Duration.ofMillis(downFor).toNanos() - (System.nanoTime() - started));
      double seconds = (System.nanoTime() - started) / 1e9;
      double toDead = attemptsTo("a");
      // before it opens: at most 5 consecutive failures; then at most a majority of the probes per
      // open period
      double bound = 5 + Math.ceil(seconds / OPEN_SEC) * Math.ceil(PROBES / 2.0);
      assertTrue(
          toDead <= bound,
          toDead + " attempts to the dead provider in " + seconds + " s, bound " + bound);
      assertTrue(
          attemptsTo("b") + attemptsTo("c") > 10 * toDead,
          "the traffic went to the healthy providers");

      revived = new FakeUpstream(deadPort);
      long back = System.nanoTime();
      Await.until(
          Duration.ofSeconds(MAX_OPEN_SEC + 1),
          "the revived provider gets traffic and its circuit closes",
          () -> revived.calls() > 0 && circuit("a") == 0,
          () -> "calls=" + revived.calls() + " circuit=" + circuit("a"));
      long ms = (System.nanoTime() - back) / 1_000_000;
      System.out.println(
          "dead provider: "
              + toDead
              + " attempts in "
              + seconds
              + " s; back in "
              + ms
              + " ms; sent "
              + sent.get());
      assertTrue(ms <= (MAX_OPEN_SEC + 1) * 1000L, "back in " + ms + " ms");
      running.set(false);
    }
    assertEquals(0, failed.get(), "every request of " + sent.get() + " was answered 200");
  }
}
