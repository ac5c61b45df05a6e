package org.llmgateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.MutableClock;
import org.llmgateway.testing.PromText;
import org.llmgateway.testing.Yaml;

/**
 * Gateway keys' own {@code rpm}/{@code tpm} limits through the real gateway, with this replica's
 * in-memory limiter and a clock moved by hand (so every wait is exact).
 */
class RateLimitTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LOG_DIR = Path.of(System.getProperty("gateway.log.dir", "logs"));
  private static final String CHAT = "/v1/chat/completions";
  private static final List<String> HEADERS =
      List.of(
          "x-ratelimit-limit-requests",
          "x-ratelimit-remaining-requests",
          "x-ratelimit-reset-requests",
          "x-ratelimit-limit-tokens",
          "x-ratelimit-remaining-tokens",
          "x-ratelimit-reset-tokens");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));

  private static String keys(String limitedRpm) {
    return """
        version: 1
        gateway_keys:
          - {key_id: limited, key: sk-gw-limited-secret, %s}
          - {key_id: tokens, key: sk-gw-tokens-secret, tpm: 1000}
          - {key_id: streamer, key: sk-gw-streamer-secret, tpm: 1000}
          - {key_id: free, key: sk-gw-free-secret}
        """
        .formatted(limitedRpm);
  }

  private static final String ADMIN = "adm-rate-limits";

  private static JsonNode limitsOf(GatewayUnderTest gw, String keyId) {
    JsonNode view = json(gw.get("/admin/limits", "X-Admin-Token", ADMIN).body());
    assertEquals("replica", view.get("scope").asText());
    for (JsonNode k : view.get("keys")) {
      if (k.get("key_id").asText().equals(keyId)) {
        return k;
      }
    }
    throw new AssertionError("no limited key " + keyId + " in " + view);
  }

  @Test
  void adminLimitsShowWhatEachLimitedKeyHasLeftWithoutSpendingIt() {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, chat(gw, "sk-gw-limited-secret").statusCode());
      }
      for (int look = 0; look < 3; look++) {
        JsonNode limited = limitsOf(gw, "limited");
        assertEquals(10, limited.at("/requests/limit").asLong());
        assertEquals(7, limited.at("/requests/remaining").asLong(), "looking spends nothing");
        assertEquals(18_000, limited.at("/requests/reset_ms").asLong());
        assertTrue(limited.get("tokens").isNull());
        assertEquals("admitted", limited.get("next_request").asText());
      }
      assertEquals(1000, limitsOf(gw, "tokens").at("/tokens/remaining").asLong());
      String all = gw.get("/admin/limits", "X-Admin-Token", ADMIN).body();
      assertFalse(all.contains("\"free\""), "keys without limits are not listed: " + all);
      assertFalse(all.contains("secret"), all);

      for (int i = 0; i < 7; i++) {
        assertEquals(200, chat(gw, "sk-gw-limited-secret").statusCode());
      }
      assertEquals(429, chat(gw, "sk-gw-limited-secret").statusCode());
      JsonNode spent = limitsOf(gw, "limited");
      assertEquals(0, spent.at("/requests/remaining").asLong());
      assertEquals("refused", spent.get("next_request").asText());
      assertEquals(6_000, spent.get("retry_after_ms").asLong());
      assertEquals(10, upstream.calls());
    }
  }

  private GatewayUnderTest gateway(FakeUpstream upstream) {
    return gateway(upstream, "rpm: 10");
  }

  private GatewayUnderTest gateway(FakeUpstream upstream, String limitedRpm) {
    return GatewayUnderTest.builder()
        .clock(clock)
        .file(
            "providers.yaml",
            Yaml.providers(Yaml.provider("alpha", upstream.baseUrl(), "a1", "sk-up-1")))
        .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
        .file("keys.yaml", keys(limitedRpm))
        .env("GATEWAY_AUTH_ENABLED", "true")
        .env("GATEWAY_ADMIN_TOKEN", ADMIN)
        .start();
  }

  private static HttpResponse<String> chat(GatewayUnderTest gw, String key, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + key;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return gw.post(CHAT, Yaml.chat("m1"), all);
  }

  private static Map<String, String> rateHeaders(HttpResponse<?> r) {
    LinkedHashMap<String, String> out = new LinkedHashMap<>();
    for (String h : HEADERS) {
      r.headers().firstValue(h).ifPresent(v -> out.put(h, v));
    }
    r.headers().firstValue("retry-after").ifPresent(v -> out.put("retry-after", v));
    return out;
  }

  private static Map<String, String> requestHeaders(String remaining, String reset) {
    return Map.of(
        "x-ratelimit-limit-requests", "10",
        "x-ratelimit-remaining-requests", remaining,
        "x-ratelimit-reset-requests", reset);
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void rpmTenGivesExactlyTenSuccessesThenA429WithEveryHeaderInTheClientsProtocol() {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream)) {
      for (int i = 1; i <= 10; i++) {
        HttpResponse<String> r = chat(gw, "sk-gw-limited-secret");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
            requestHeaders(Integer.toString(10 - i), i == 10 ? "1m0s" : (6 * i) + "s"),
            rateHeaders(r),
            "request " + i);
      }
      HttpResponse<String> refused = chat(gw, "sk-gw-limited-secret", "X-Request-Id", "rl-429-a");
      assertEquals(429, refused.statusCode());
      Map<String, String> expected = new HashMap<>(requestHeaders("0", "1m0s"));
      expected.put("retry-after", "6");
      assertEquals(expected, rateHeaders(refused));
      assertEquals(
          json(
              """
              {"error":{"message":"Rate limit reached for gateway key limited on requests per min \
              (RPM): Limit 10. Please try again in 6s.","type":"requests",\
              "code":"rate_limit_exceeded"}}"""),
          json(refused.body()));

      HttpResponse<String> messages =
          gw.post(
              "/v1/messages",
              "{\"model\":\"m1\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
              "x-api-key",
              "sk-gw-limited-secret",
              "anthropic-version",
              "2023-06-01");
      assertEquals(429, messages.statusCode());
      assertEquals(expected, rateHeaders(messages));
      assertEquals(
          json(
              """
              {"type":"error","error":{"type":"rate_limit_error","message":"Rate limit reached \
              for gateway key limited on requests per min (RPM): Limit 10. Please try again in \
              6s."}}"""),
          json(messages.body()));
      assertEquals(10, upstream.calls(), "refused requests never reach an upstream");

      clock.advance(Duration.ofMillis(5_500));
      HttpResponse<String> stillRefused = chat(gw, "sk-gw-limited-secret");
      assertEquals(429, stillRefused.statusCode());
      assertEquals("1", stillRefused.headers().firstValue("retry-after").orElseThrow());
      assertEquals(
          "54.5s", stillRefused.headers().firstValue("x-ratelimit-reset-requests").orElseThrow());
      clock.advance(Duration.ofMillis(500));
      assertEquals(200, chat(gw, "sk-gw-limited-secret").statusCode(), "one cell came back");
      assertEquals(429, chat(gw, "sk-gw-limited-secret").statusCode());
      assertEquals(11, upstream.calls());

      PromText metrics = PromText.parse(gw.get("/metrics").body());
      assertEquals(
          4.0,
          metrics.sum(
              "gateway_rate_limited_total", "gateway_key_id", "limited", "limit", "requests"));
      assertEquals(
          0.0,
          metrics.sum("gateway_key_cooldowns_total"),
          "the gateway's own 429s never cool a provider key");
      assertFalse(gw.get("/metrics").body().contains("sk-gw-limited-secret"));
      Await.until(
          Duration.ofSeconds(5), "the 429 in access.log", () -> accessLine("rl-429-a").isPresent());
      JsonNode line = accessLine("rl-429-a").orElseThrow();
      assertEquals(429, line.get("status").asInt());
      assertEquals("limited", line.get("gateway_key_id").asText());
      assertEquals("rate_limit_exceeded", line.get("error_type").asText());
      assertEquals(0, line.get("attempts").asInt());
    }
  }

  @Test
  void keysWithoutLimitsGetNoHeadersAndTheUpstreamsOwnRateHeadersOnlyPassForThem() {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream)) {
      upstream.script(
          r ->
              new FakeUpstream.Json(
                  200,
                  FakeUpstream.chatCompletion("ok"),
                  Map.of(
                      "x-ratelimit-limit-requests",
                      "5000",
                      "x-ratelimit-remaining-requests",
                      "4999")));
      for (int i = 0; i < 30; i++) {
        HttpResponse<String> r = chat(gw, "sk-gw-free-secret");
        assertEquals(200, r.statusCode());
        assertEquals(
            Map.of("x-ratelimit-limit-requests", "5000", "x-ratelimit-remaining-requests", "4999"),
            rateHeaders(r),
            "the provider's headers, as before");
      }
      HttpResponse<String> limited = chat(gw, "sk-gw-limited-secret");
      assertEquals(
          requestHeaders("9", "6s"), rateHeaders(limited), "the key's own, not the provider's");
      assertEquals(31, upstream.calls());
    }
  }

  @Test
  void anUpstream429ForALimitedKeyCoolsTheProviderKeyAndIsNotCountedAsTheGatewaysOwn() {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream)) {
      upstream.script(
          r ->
              new FakeUpstream.Json(
                  429,
                  "{\"error\":{\"message\":\"provider says slow down\",\"type\":\"requests\"}}",
                  Map.of("Retry-After", "30", "x-ratelimit-remaining-requests", "0")));
      HttpResponse<String> r = chat(gw, "sk-gw-limited-secret");
      assertEquals(429, r.statusCode());
      assertTrue(r.body().contains("provider says slow down"), r.body());
      assertEquals("30", r.headers().firstValue("retry-after").orElseThrow());
      assertEquals(requestHeaders("9", "6s"), withoutRetryAfter(rateHeaders(r)));
      PromText metrics = PromText.parse(gw.get("/metrics").body());
      assertEquals(1.0, metrics.sum("gateway_key_cooldowns_total", "key_id", "a1"));
      assertEquals(0.0, metrics.sum("gateway_rate_limited_total"));
    }
  }

  private static Map<String, String> withoutRetryAfter(Map<String, String> headers) {
    Map<String, String> out = new HashMap<>(headers);
    out.remove("retry-after");
    return out;
  }

  @Test
  void tpmChargesTheUsageOfAnswersAndStreamsAndThenRefuses() throws IOException {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream)) {
      upstream.script(
          r ->
              r.body().contains("\"stream\":true")
                  ? new FakeUpstream.Sse(
                      List.of(
                          "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}",
                          "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":500,\"completion_tokens\":1000,\"total_tokens\":1500}}"),
                      0,
                      -1,
                      true)
                  : new FakeUpstream.Json(
                      200,
                      "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":500,\"total_tokens\":600}}",
                      Map.of()));
      HttpResponse<String> first = chat(gw, "sk-gw-tokens-secret");
      assertEquals(
          Map.of(
              "x-ratelimit-limit-tokens", "1000",
              "x-ratelimit-remaining-tokens", "1000",
              "x-ratelimit-reset-tokens", "0s"),
          rateHeaders(first));
      HttpResponse<String> second = chat(gw, "sk-gw-tokens-secret");
      assertEquals(200, second.statusCode());
      assertEquals(
          Map.of(
              "x-ratelimit-limit-tokens", "1000",
              "x-ratelimit-remaining-tokens", "400",
              "x-ratelimit-reset-tokens", "36s"),
          rateHeaders(second));
      HttpResponse<String> refused = chat(gw, "sk-gw-tokens-secret");
      assertEquals(429, refused.statusCode());
      assertEquals("tokens", json(refused.body()).get("error").get("type").asText());
      // 1,200 of 1,000 tokens: 12 s of debt plus 60 ms for one token
      assertEquals(
          Map.of(
              "x-ratelimit-limit-tokens", "1000",
              "x-ratelimit-remaining-tokens", "0",
              "x-ratelimit-reset-tokens", "1m12s",
              "retry-after", "13"),
          rateHeaders(refused));
      assertEquals(2, upstream.calls());

      HttpResponse<InputStream> stream =
          gw.postStream(
              CHAT, Yaml.chatStream("m1"), "Authorization", "Bearer sk-gw-streamer-secret");
      assertEquals(200, stream.statusCode());
      assertEquals(
          "1000", stream.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
      String events;
      try (InputStream in = stream.body()) {
        events = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertTrue(events.contains("\"total_tokens\":1500") && events.endsWith("data: [DONE]\n\n"));
      HttpResponse<String> afterStream = chat(gw, "sk-gw-streamer-secret");
      assertEquals(429, afterStream.statusCode(), afterStream.body());
      // 1,500 of 1,000: 30 s of debt plus 60 ms
      assertEquals("31", afterStream.headers().firstValue("retry-after").orElseThrow());
      assertEquals(3, upstream.calls());
      assertEquals(
          2.0,
          PromText.parse(gw.get("/metrics").body())
              .sum("gateway_rate_limited_total", "limit", "tokens"));
    }
  }

  @Test
  void aReloadThatChangesOrRemovesTheLimitTakesEffectOnTheKeysCurrentUse() {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream, "rpm: 2")) {
      assertEquals(200, chat(gw, "sk-gw-limited-secret").statusCode());
      assertEquals(200, chat(gw, "sk-gw-limited-secret").statusCode());
      assertEquals(429, chat(gw, "sk-gw-limited-secret").statusCode());
      int used = upstream.calls();
      gw.writeConfig("keys.yaml", keys("rpm: 5"));
      Await.until(
          Duration.ofSeconds(10),
          "rpm 5 in force (refused requests meanwhile count nothing)",
          () -> chat(gw, "sk-gw-limited-secret").statusCode() == 200);
      assertEquals(200, chat(gw, "sk-gw-limited-secret").statusCode());
      assertEquals(200, chat(gw, "sk-gw-limited-secret").statusCode());
      HttpResponse<String> full = chat(gw, "sk-gw-limited-secret");
      assertEquals(429, full.statusCode(), "2 used before, 3 more under the raised limit");
      assertEquals("5", full.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
      assertEquals("12", full.headers().firstValue("retry-after").orElseThrow());
      assertEquals(used + 3, upstream.calls());

      gw.writeConfig("keys.yaml", keys("tenant_id: unlimited-now"));
      Await.until(
          Duration.ofSeconds(10),
          "the limit removed",
          () -> chat(gw, "sk-gw-limited-secret").statusCode() == 200);
      HttpResponse<String> free = chat(gw, "sk-gw-limited-secret");
      assertEquals(200, free.statusCode());
      assertEquals(Map.of(), rateHeaders(free));
    }
  }

  private static Optional<JsonNode> accessLine(String requestId) {
    Path f = LOG_DIR.resolve("access.log");
    try {
      if (!Files.exists(f)) {
        return Optional.empty();
      }
      for (String line : Files.readAllLines(f)) {
        if (line.contains("\"request_id\":\"" + requestId + "\"")) {
          return Optional.of(JSON.readTree(line));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
