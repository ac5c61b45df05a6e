package org.llmgateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.PromText;
import org.llmgateway.testing.Yaml;

class MetricsEndpointTest {
  private FakeUpstream upstream;
  private GatewayUnderTest gw;

  @BeforeEach
  void start() {
    upstream =
        new FakeUpstream()
            .script(
                r -> {
                  if ("Bearer sk-alpha-one".equals(r.header("authorization"))) {
                    return FakeUpstream.status(429, "{\"error\":{\"message\":\"slow down\"}}");
                  }
                  return r.body().contains("\"stream\":true")
                      ? FakeUpstream.chunks(3, 5)
                      : FakeUpstream.ok("hello");
                });
    gw =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                Yaml.providers(
                    Yaml.provider(
                        "alpha", upstream.baseUrl(), "a1", "sk-alpha-one", "a2", "sk-alpha-two")))
            .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
            .start();
  }

  @AfterEach
  void stop() {
    gw.close();
    upstream.close();
  }

  private PromText scrape() {
    HttpResponse<String> r = gw.get("/metrics");
    assertEquals(200, r.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        r.headers().firstValue("Content-Type").orElseThrow());
    assertFalse(r.body().contains("sk-alpha"), "no key value in the metrics");
    return PromText.parse(r.body());
  }

  @Test
  void countsRequestsByRouteModelProviderAndStatusWithConsistentHistograms() {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    }
    assertEquals(400, gw.post("/v1/chat/completions", Yaml.chat("nope")).statusCode());

    PromText m = scrape();
    assertEquals("counter", m.type("gateway_requests_total"));
    assertEquals(
        3,
        m.sum(
            "gateway_requests_total",
            "route",
            "chat_completions",
            "model",
            "m1",
            "provider",
            "alpha",
            "status",
            "200"));
    assertEquals(
        1,
        m.sum(
            "gateway_requests_total",
            "route",
            "chat_completions",
            "model",
            "none",
            "status",
            "400"));
    assertEquals(
        1, m.sum("gateway_upstream_attempts_total", "provider", "alpha", "outcome", "next_key"));
    assertEquals(3, m.sum("gateway_upstream_attempts_total", "provider", "alpha", "outcome", "ok"));
    assertEquals(1, m.sum("gateway_up"));
    assertEquals(0, m.sum("gateway_circuit_state", "provider", "alpha"));
    assertEquals(1, m.samples("gateway_config_info").size());
    assertFalse(m.samples("jvm_memory_used_bytes").isEmpty(), "JVM metrics are exposed");
    assertEquals(
        9,
        m.sum("gateway_tokens_total", "model", "m1", "kind", "prompt"),
        "3 answers of 3 prompt tokens");
  }

  @Test
  void histogramBucketsAreCumulativeAndMatchTheCount() {
    for (int i = 0; i < 4; i++) {
      assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    }
    PromText m = scrape();
    for (String h :
        List.of("gateway_request_duration_seconds", "gateway_time_to_first_byte_seconds")) {
      assertEquals("histogram", m.type(h));
      List<PromText.Sample> buckets =
          m.samples(h + "_bucket", "route", "chat_completions", "model", "m1").stream()
              .sorted(
                  Comparator.comparingDouble(
                      s -> Double.parseDouble(s.label("le").replace("+Inf", "Infinity"))))
              .toList();
      assertTrue(buckets.size() > 5, h + " has buckets");
      for (int i = 1; i < buckets.size(); i++) {
        assertTrue(
            buckets.get(i).value() >= buckets.get(i - 1).value(),
            h + " buckets are cumulative: " + buckets);
      }
      PromText.Sample inf = buckets.getLast();
      assertEquals("+Inf", inf.label("le"));
      assertEquals(4, inf.value(), h + " +Inf bucket");
      assertEquals(
          4, m.sum(h + "_count", "route", "chat_completions", "model", "m1"), h + "_count");
      assertTrue(m.sum(h + "_sum", "route", "chat_completions", "model", "m1") > 0, h + "_sum");
    }
  }

  @Test
  void activeStreamsReturnToZeroAfterAStream() throws IOException {
    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", Yaml.chatStream("m1"));
    assertEquals(200, r.statusCode());
    String body;
    try (InputStream in = r.body()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(body.contains("[DONE]"), body);
    Await.until(
        Duration.ofSeconds(2),
        "active streams back to 0",
        () ->
            scrape().sum("gateway_active_streams") == 0
                && scrape().sum("gateway_requests_total", "model", "m1", "status", "200") == 1);
    assertEquals(1, scrape().samples("gateway_active_streams").size());
  }

  @Test
  void countsTheCooldownOfAKeyAnswering429() {
    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    PromText m = scrape();
    assertEquals(1, m.sum("gateway_key_cooldowns_total", "provider", "alpha", "key_id", "a1"));
    assertEquals(0, m.sum("gateway_key_cooldowns_total", "provider", "alpha", "key_id", "a2"));
  }

  @Test
  void countsReloadsByResultAfterAnEditAndABrokenFile() {
    PromText first = scrape();
    assertEquals(1, first.sum("gateway_config_reloads_total", "result", "ok"));
    assertEquals(0, first.sum("gateway_config_reloads_total", "result", "failed"));
    assertEquals(1, first.sum("gateway_config_last_reload_success"));

    gw.writeConfig(
        "models.yaml", Yaml.models(Yaml.model("m1", "alpha"), Yaml.model("m2", "alpha")));
    Await.until(
        Duration.ofSeconds(5),
        "a second ok reload",
        () -> scrape().sum("gateway_config_reloads_total", "result", "ok") == 2);

    gw.writeConfig("models.yaml", "version: 1\nmodels: [unclosed\n");
    Await.until(
        Duration.ofSeconds(5),
        "a failed reload",
        () -> scrape().sum("gateway_config_reloads_total", "result", "failed") == 1);
    PromText broken = scrape();
    assertEquals(0, broken.sum("gateway_config_last_reload_success"));
    assertEquals(2, broken.sum("gateway_config_reloads_total", "result", "ok"));
    assertEquals(
        "2",
        broken.samples("gateway_config_info").getFirst().label("models"),
        "last good config serves");
  }

  @Test
  void parserRejectsMalformedExpositions() {
    for (String bad :
        List.of(
            "x{a=\"1} 1\n",
            "x{a=\"\\q\"} 1\n",
            "x{a=\"1\",a=\"2\"} 1\n",
            "# TYPE x counter\nx -1\n",
            "x 1\ny 1\nx{a=\"b\"} 2\n",
            "x 1\n# TYPE x gauge\n",
            "1x 1\n",
            "x one\n",
            "x 1")) {
      try {
        PromText.parse(bad);
      } catch (IllegalArgumentException expected) {
        continue;
      }
      throw new AssertionError("accepted: " + bad);
    }
    PromText ok =
        PromText.parse("# HELP x a \\\\ b\n# TYPE x gauge\nx{a=\"q\\\"\\n\\\\\",} 1.5e3 123\n");
    assertEquals("q\"\n\\", ok.samples("x").getFirst().label("a"));
    assertEquals(1500, ok.sum("x"));
  }
}
