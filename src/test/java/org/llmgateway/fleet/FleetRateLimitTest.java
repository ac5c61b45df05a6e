package org.llmgateway.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.PromText;
import org.llmgateway.testing.RedisServer;
import org.llmgateway.testing.Yaml;
import redis.clients.jedis.Jedis;

/**
 * Gateway keys' rate limits across two replicas (two embedded gateways) sharing one real
 * redis-server, in front of the same fake upstream.
 */
class FleetRateLimitTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "/v1/chat/completions";
  private static final String KEYS =
      """
      version: 1
      gateway_keys:
        - {key_id: team, key: sk-gw-team-secret, rpm: 10}
        - {key_id: tokens, key: sk-gw-tokens-secret, tpm: 1000}
      """;

  private static final String ADMIN = "adm-fleet-limits";

  private final FakeUpstream upstream = new FakeUpstream();
  private final List<GatewayUnderTest> replicas = new ArrayList<>();
  private RedisServer redis;

  @BeforeEach
  void start() {
    redis = RedisServer.onFreePort();
  }

  @AfterEach
  void stop() {
    replicas.forEach(GatewayUnderTest::close);
    upstream.close();
    redis.close();
  }

  private GatewayUnderTest replica(String id) {
    GatewayUnderTest gw =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                Yaml.providers(Yaml.provider("alpha", upstream.baseUrl(), "a1", "sk-up-1")))
            .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
            .file("keys.yaml", KEYS)
            .env("GATEWAY_AUTH_ENABLED", "true")
            .env("GATEWAY_REDIS_URL", redis.url())
            // generous for a loaded test machine: the default is for production
            .env("GATEWAY_REDIS_TIMEOUT_MS", "500")
            .env("GATEWAY_REPLICA_ID", id)
            .env("GATEWAY_ADMIN_TOKEN", ADMIN)
            .start();
    replicas.add(gw);
    return gw;
  }

  private static HttpResponse<String> chat(GatewayUnderTest gw, String key) {
    return gw.post(CHAT, Yaml.chat("m1"), "Authorization", "Bearer " + key);
  }

  @Test
  void rpmTenGivesExactlyTenSuccessesAcrossBothReplicasThen429OnBoth() throws IOException {
    GatewayUnderTest a = replica("a");
    GatewayUnderTest b = replica("b");
    int ok = 0;
    for (int i = 0; i < 16; i++) {
      HttpResponse<String> r = chat(i % 2 == 0 ? a : b, "sk-gw-team-secret");
      if (r.statusCode() == 200) {
        ok++;
        assertEquals(
            Integer.toString(10 - ok),
            r.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow(),
            "the fleet's count, whichever replica answers");
      } else {
        assertEquals(429, r.statusCode(), r.body());
      }
    }
    assertEquals(10, ok);
    assertEquals(10, upstream.calls());
    for (GatewayUnderTest gw : List.of(a, b)) {
      HttpResponse<String> r = chat(gw, "sk-gw-team-secret");
      assertEquals(429, r.statusCode());
      assertEquals("requests", JSON.readTree(r.body()).get("error").get("type").asText(), r.body());
      assertEquals("10", r.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
      assertEquals("0", r.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
      long retry = Long.parseLong(r.headers().firstValue("retry-after").orElseThrow());
      assertTrue(retry >= 1 && retry <= 6, "the next cell within 6 s: " + retry);
      assertTrue(r.headers().firstValue("x-ratelimit-reset-requests").isPresent());
    }
    assertEquals(10, upstream.calls());
    assertEquals(
        0.0,
        PromText.parse(a.get("/metrics").body()).sum("gateway_redis_fallbacks_total"),
        "every decision came from Redis");
  }

  @Test
  void adminLimitsOnAnyReplicaShowTheFleetsBudgetWithoutSpendingIt() throws IOException {
    GatewayUnderTest a = replica("a");
    GatewayUnderTest b = replica("b");
    for (int i = 0; i < 4; i++) {
      assertEquals(200, chat(a, "sk-gw-team-secret").statusCode());
    }
    long first = -1;
    for (int look = 0; look < 5; look++) {
      JsonNode view = JSON.readTree(b.get("/admin/limits", "X-Admin-Token", ADMIN).body());
      assertEquals("fleet", view.get("scope").asText());
      JsonNode team = view.at("/keys/0");
      assertEquals("team", team.get("key_id").asText());
      long remaining = team.at("/requests/remaining").asLong();
      // 4 of 10 used on replica a; one more comes back every 6 s
      assertTrue(remaining >= 6 && remaining <= 7, view.toString());
      assertTrue(first < 0 || remaining >= first, "looking spends nothing: " + view);
      first = remaining;
    }
    assertEquals(4, upstream.calls());
  }

  @Test
  void tokensOfAStreamOnOneReplicaAreChargedForTheWholeFleet() throws IOException {
    upstream.script(
        r ->
            new FakeUpstream.Sse(
                List.of(
                    "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}",
                    "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":500,\"completion_tokens\":1000,\"total_tokens\":1500}}"),
                0,
                -1,
                true));
    GatewayUnderTest a = replica("a");
    GatewayUnderTest b = replica("b");
    HttpResponse<InputStream> stream =
        a.postStream(CHAT, Yaml.chatStream("m1"), "Authorization", "Bearer sk-gw-tokens-secret");
    assertEquals(200, stream.statusCode());
    try (InputStream in = stream.body()) {
      assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).endsWith("[DONE]\n\n"));
    }
    Await.until(
        Duration.ofSeconds(5),
        "replica a's charger sent the stream's tokens",
        () -> tokenDebtSeconds() > 0);
    HttpResponse<String> refused = chat(b, "sk-gw-tokens-secret");
    assertEquals(429, refused.statusCode(), refused.body());
    assertEquals("tokens", JSON.readTree(refused.body()).get("error").get("type").asText());
    long retry = Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow());
    assertTrue(retry >= 29 && retry <= 31, "1,500 of 1,000 tokens: about 30 s: " + retry);
    assertEquals(
        Map.of("limit", "1000", "remaining", "0"),
        Map.of(
            "limit", refused.headers().firstValue("x-ratelimit-limit-tokens").orElseThrow(),
            "remaining",
                refused.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow()));
    assertEquals(1, upstream.calls());
  }

  /**
   * How far the key's token budget is used beyond the full minute, by Redis' clock (the admission
   * writes the budget too, so only a charge makes this positive).
   */
  private double tokenDebtSeconds() {
    try (Jedis j = redis.client()) {
      String tat = j.hget("llmgw:ratelimit:tokens", "tt");
      if (tat == null) {
        return -1;
      }
      List<String> time = j.time();
      double nowMicros = Long.parseLong(time.get(0)) * 1e6 + Long.parseLong(time.get(1));
      return (Double.parseDouble(tat) - nowMicros) / 1e6 - 60;
    }
  }

  @Test
  void withRedisKilledRequestsSucceedOnEachReplicasOwnLimits() {
    GatewayUnderTest a = replica("a");
    for (int i = 0; i < 10; i++) {
      assertEquals(200, chat(a, "sk-gw-team-secret").statusCode());
    }
    assertEquals(429, chat(a, "sk-gw-team-secret").statusCode());
    redis.kill();
    // Redis' count is gone with it: the replica's own budget decides, 10 a minute
    for (int i = 0; i < 10; i++) {
      assertEquals(200, chat(a, "sk-gw-team-secret").statusCode(), "request " + i);
    }
    assertEquals(429, chat(a, "sk-gw-team-secret").statusCode());
    assertEquals(20, upstream.calls());
    assertTrue(
        PromText.parse(a.get("/metrics").body())
                .sum("gateway_redis_fallbacks_total", "operation", "rate_limit")
            >= 1);
  }
}
