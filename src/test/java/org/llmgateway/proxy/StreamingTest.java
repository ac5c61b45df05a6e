package org.llmgateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;

class StreamingTest {
  private static final String STREAM =
      "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private final FakeUpstream a = new FakeUpstream();
  private final FakeUpstream b = new FakeUpstream();
  private GatewayUnderTest gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    a.close();
    b.close();
  }

  private void start(int timeoutMsA) {
    start(timeoutMsA, "1");
  }

  private void start(int timeoutMsA, String graceSec) {
    gw =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                """
        version: 1
        providers:
          a:
            base_url: "%s"
            timeout_ms: %d
            keys: [{id: a1, value: sk-a}]
          b:
            base_url: "%s"
            keys: [{id: b1, value: sk-b}]
        models:
          m:
            provider_map: {a: up-a, b: up-b}
            policy: {default_providers: [a, b]}
        """
                    .formatted(a.baseUrl(), timeoutMsA, b.baseUrl()))
            .env("GATEWAY_EXPOSE_SELECTION", "1")
            .env("GATEWAY_SHUTDOWN_GRACE_SEC", graceSec)
            .start();
  }

  /** Reads SSE data lines with their arrival times (ms since the request). */
  private record Line(String text, long atMs) {}

  private static List<Line> read(HttpResponse<InputStream> r, long t0, int max) throws Exception {
    List<Line> lines = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String line;
      while (lines.size() < max && (line = in.readLine()) != null) {
        if (line.startsWith("data: ")) {
          lines.add(new Line(line.substring(6), (System.nanoTime() - t0) / 1_000_000));
        }
      }
    }
    return lines;
  }

  @Test
  void eventsReachTheClientOneByOneAsTheUpstreamSendsThem() throws Exception {
    start(5000);
    a.script(r -> FakeUpstream.chunks(20, 20));
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", STREAM);
    assertEquals(200, r.statusCode());
    assertEquals(
        "text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals("no", r.headers().firstValue("X-Accel-Buffering").orElseThrow());
    assertTrue(r.headers().firstValue("Content-Encoding").isEmpty());
    List<Line> lines = read(r, t0, 100);
    assertEquals(21, lines.size());
    assertEquals("[DONE]", lines.get(20).text());
    long spread = lines.get(19).atMs() - lines.get(0).atMs();
    assertTrue(spread >= 300, "19 gaps of 20 ms must show, spread was " + spread + " ms");
    int distinctArrivals = (int) lines.stream().map(l -> l.atMs() / 10).distinct().count();
    assertTrue(
        distinctArrivals >= 15, "events arrived in " + distinctArrivals + " groups: " + lines);
  }

  @Test
  void aStreamFailsOverInvisiblyBeforeTheFirstByte() throws Exception {
    start(5000);
    a.script(r -> FakeUpstream.status(500, "{\"error\":\"down\"}"));
    b.script(r -> FakeUpstream.chunks(3, 5));
    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", STREAM);
    assertEquals(200, r.statusCode());
    assertEquals("b", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    List<Line> lines = read(r, System.nanoTime(), 100);
    assertEquals(4, lines.size());
    assertEquals("[DONE]", lines.get(3).text());
  }

  @Test
  void anUpstreamThatDiesBeforeItsFirstEventIsFailedOver() throws Exception {
    start(5000);
    a.script(r -> new FakeUpstream.Sse(List.of("{}"), 0, 0, false));
    b.script(r -> FakeUpstream.chunks(2, 5));
    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", STREAM);
    assertEquals(200, r.statusCode());
    assertEquals("b", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    assertEquals(3, read(r, System.nanoTime(), 100).size());
  }

  @Test
  void anUpstreamSilentPastItsTimeoutBeforeTheFirstEventIsFailedOver() throws Exception {
    start(300);
    a.script(r -> new FakeUpstream.Delay(2000, FakeUpstream.chunks(1, 0)));
    b.script(r -> FakeUpstream.chunks(2, 5));
    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", STREAM);
    assertEquals("b", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    assertEquals(3, read(r, System.nanoTime(), 100).size());
  }

  @Test
  void anUpstreamDyingMidStreamEndsTheStreamWithAnErrorEvent() throws Exception {
    start(5000);
    a.script(
        r ->
            new FakeUpstream.Sse(
                List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"), 10, 2, true));
    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", STREAM);
    assertEquals(200, r.statusCode());
    List<Line> lines = read(r, System.nanoTime(), 100);
    assertEquals(3, lines.size(), lines.toString());
    assertEquals("{\"n\":1}", lines.get(0).text());
    assertEquals("{\"n\":2}", lines.get(1).text());
    assertTrue(
        lines.get(2).text().startsWith("{\"error\":{\"message\":\"upstream stream interrupted"),
        lines.get(2).text());
    assertEquals(0, b.calls(), "no failover after the first byte");
  }

  @Test
  void anUpstreamStallingMidStreamIsCutAfterItsTimeoutWithAnErrorEvent() throws Exception {
    start(400);
    a.script(r -> new FakeUpstream.Sse(List.of("{\"n\":1}", "{\"n\":2}"), 3000, -1, true));
    long t0 = System.nanoTime();
    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", STREAM);
    List<Line> lines = read(r, t0, 100);
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(1).text().contains("went silent"), lines.get(1).text());
    assertTrue(
        lines.get(1).atMs() < 2000,
        "cut after ~400 ms of silence, not after " + lines.get(1).atMs());
  }

  @Test
  void anUpstreamEndingWithoutDoneIsReportedNotPassedOffAsSuccess() throws Exception {
    start(5000);
    a.script(r -> new FakeUpstream.Sse(List.of("{\"n\":1}"), 0, -1, false));
    List<Line> lines = read(gw.postStream("/v1/chat/completions", STREAM), System.nanoTime(), 100);
    assertEquals(2, lines.size());
    assertTrue(lines.get(1).text().contains("ended without [DONE]"));
  }

  @Test
  void aClientThatLeavesCancelsTheUpstreamAtOnce() throws Exception {
    start(5000);
    a.script(r -> FakeUpstream.chunks(200, 20));
    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", STREAM);
    InputStream in = r.body();
    byte[] buf = new byte[256];
    assertTrue(in.read(buf) > 0);
    in.close();
    long closedAt = System.nanoTime();
    long deadline = closedAt + 3_000_000_000L;
    while (a.closedStreams().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(a.closedStreams().isEmpty(), "the upstream saw its connection closed");
    long afterMs = (a.closedStreams().get(0) - closedAt) / 1_000_000;
    assertTrue(afterMs < 2000, "upstream cancelled " + afterMs + " ms after the client left");
  }

  @Test
  void usageChunksAndDonePassThroughUntouched() throws Exception {
    start(5000);
    String usage =
        "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
            + "\"completion_tokens\":2,\"total_tokens\":7}}";
    a.script(r -> new FakeUpstream.Sse(List.of("{\"x\":1}", usage), 0, -1, true));
    List<Line> lines =
        read(
            gw.postStream(
                "/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}"),
            System.nanoTime(),
            100);
    assertEquals(List.of("{\"x\":1}", usage, "[DONE]"), lines.stream().map(Line::text).toList());
    assertTrue(a.received().get(0).body().contains("\"stream_options\":{\"include_usage\":true}"));
  }

  @Test
  void stoppingTheServerLetsAStreamInFlightFinish() throws Exception {
    start(5000, "10");
    a.script(r -> FakeUpstream.chunks(8, 100));
    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", STREAM);
    GatewayUnderTest running = gw;
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(running::close);
    List<Line> lines = read(r, System.nanoTime(), 100);
    stopping.get();
    assertEquals(9, lines.size(), "every event and [DONE] arrived: " + lines);
    gw = null;
  }

  @Test
  void eventsLargerThanTheRelayChunkArriveWholeAndInOrder() throws Exception {
    start(5000);
    String big = "{\"big\":\"" + "x".repeat(10_000) + "\"}"; // spans several 4 KiB relay chunks
    a.script(r -> new FakeUpstream.Sse(List.of(big, "{\"after\":1}", big), 10, -1, true));
    List<Line> lines = read(gw.postStream("/v1/chat/completions", STREAM), System.nanoTime(), 100);
    assertEquals(
        List.of(big, "{\"after\":1}", big, "[DONE]"), lines.stream().map(Line::text).toList());
  }
}
