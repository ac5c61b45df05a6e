package org.llmgateway.fleet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.PromText;
import org.llmgateway.testing.RedisServer;

/**
 * Two replicas (two embedded gateways) sharing one real redis-server, in front of the same WireMock
 * upstreams: what one replica learns about a key or a provider, the other acts on; Redis going away
 * never fails a request, and sharing resumes when it returns.
 */
class SharedStateTest {
  private static final String CHAT =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String ADMIN = "adm-fleet";
  private static final Duration PROPAGATION = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WireMockServer a =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private final WireMockServer b =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private final List<GatewayUnderTest> replicas = new ArrayList<>();
  private RedisServer redis;

  @BeforeEach
  void start() {
    redis = RedisServer.onFreePort();
    for (WireMockServer up : List.of(a, b)) {
      up.start();
      up.stubFor(
          post(anyUrl()).atPriority(10).willReturn(okJson(FakeUpstream.chatCompletion("ok"))));
    }
  }

  @AfterEach
  void stop() {
    replicas.forEach(GatewayUnderTest::close);
    a.stop();
    b.stop();
    redis.close();
  }

  private GatewayUnderTest replica(String id, String... env) {
    var builder =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                "version: 1\nproviders:\n"
                    + provider("pa", a.baseUrl(), "k1", "k2")
                    + provider("pb", b.baseUrl(), "b1")
                    + "models:\n  m:\n    provider_map: {pa: up-a, pb: up-b}\n"
                    + "    policy: {default_providers: [pa, pb]}\n")
            .env("GATEWAY_EXPOSE_SELECTION", "true")
            .env("GATEWAY_ADMIN_TOKEN", ADMIN)
            .env("GATEWAY_REDIS_URL", redis.url())
            // generous for a loaded test machine: the default (10 ms) is for production
            .env("GATEWAY_REDIS_TIMEOUT_MS", "500")
            .env("GATEWAY_REPLICA_ID", id);
    for (int i = 0; i + 1 < env.length; i += 2) {
      builder.env(env[i], env[i + 1]);
    }
    GatewayUnderTest gw = builder.start();
    replicas.add(gw);
    return gw;
  }

  private static String provider(String name, String url, String... keys) {
    StringBuilder sb =
        new StringBuilder(
            "  "
                + name
                + ":\n    base_url: \""
                + url
                + "\"\n    timeout_ms: 5000\n    endpoints: {chat_completions: /v1/chat/completions}\n    keys:\n");
    for (String k : keys) {
      sb.append("      - {id: ").append(k).append(", value: sk-secret-").append(k).append("}\n");
    }
    return sb.toString();
  }

  private static void answerKey(WireMockServer up, String keyId, int status, String body) {
    up.stubFor(
        post(anyUrl())
            .withHeader("Authorization", equalTo("Bearer sk-secret-" + keyId))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  private static List<String> auths(WireMockServer up) {
    return up.findAll(anyRequestedFor(anyUrl())).stream()
        .map(x -> x.getHeader("Authorization"))
        .toList();
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode key(GatewayUnderTest gw, String provider, String keyId) {
    for (JsonNode p : json(gw.get("/admin/keys", "X-Admin-Token", ADMIN).body()).get("providers")) {
      if (p.get("provider").asText().equals(provider)) {
        for (JsonNode k : p.get("keys")) {
          if (k.get("key_id").asText().equals(keyId)) {
            return k;
          }
        }
      }
    }
    throw new AssertionError("no key " + provider + "/" + keyId);
  }

  private static String circuit(GatewayUnderTest gw, String provider) {
    for (JsonNode p : json(gw.get("/admin/keys", "X-Admin-Token", ADMIN).body()).get("providers")) {
      if (p.get("provider").asText().equals(provider)) {
        return p.get("circuit").asText();
      }
    }
    throw new AssertionError("no provider " + provider);
  }

  private static boolean cooling(GatewayUnderTest gw, String keyId) {
    return key(gw, "pa", keyId).get("state").asText().equals("cooling");
  }

  @Test
  void aKeyCooledOnOneReplicaIsSkippedByTheOtherWithTheSameEndAndReason() {
    GatewayUnderTest one = replica("one");
    GatewayUnderTest two = replica("two");
    answerKey(a, "k1", 429, "{\"error\":{\"message\":\"slow down\"}}");

    HttpResponse<String> first = one.post("/v1/chat/completions", CHAT);
    assertEquals(200, first.statusCode());
    assertEquals(List.of("Bearer sk-secret-k1", "Bearer sk-secret-k2"), auths(a));
    assertTrue(cooling(one, "k1"));

    Await.until(PROPAGATION, "replica two learns k1's cooldown", () -> cooling(two, "k1"));
    JsonNode onOne = key(one, "pa", "k1");
    JsonNode onTwo = key(two, "pa", "k1");
    assertEquals(onOne.get("cooling_until").asText(), onTwo.get("cooling_until").asText());
    assertEquals(onOne.get("reason").asText(), onTwo.get("reason").asText());
    assertEquals(0, onTwo.get("cooldowns").asInt(), "a cooldown learnt is not one of its own");
    Await.until(
        PROPAGATION,
        "replica one counts the event it sent",
        () ->
            PromText.parse(one.get("/metrics").body())
                    .sum("gateway_fleet_events_total", "direction", "sent", "type", "cooldown")
                == 1.0);
    PromText onTwoMetrics = PromText.parse(two.get("/metrics").body());
    assertTrue(
        onTwoMetrics.sum("gateway_fleet_events_total", "direction", "received", "type", "cooldown")
                + onTwoMetrics.sum(
                    "gateway_fleet_events_total", "direction", "caught_up", "type", "cooldown")
            >= 1.0,
        "replica two counts the event it applied");

    // replica two's rotation would start at k1; it goes straight to k2
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = two.post("/v1/chat/completions", CHAT);
      assertEquals(200, r.statusCode());
      assertEquals("pa", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    }
    List<String> seen = auths(a);
    assertEquals(5, seen.size(), seen.toString());
    assertEquals(1, seen.stream().filter(h -> h.endsWith("k1")).count(), seen.toString());
  }

  @Test
  void aResetOnOneReplicaEndsTheCooldownOnEveryReplica() {
    GatewayUnderTest one = replica("one");
    GatewayUnderTest two = replica("two");
    answerKey(a, "k1", 429, "{\"error\":{\"message\":\"slow down\"}}");
    assertEquals(200, one.post("/v1/chat/completions", CHAT).statusCode());
    Await.until(PROPAGATION, "replica two learns k1's cooldown", () -> cooling(two, "k1"));

    a.resetMappings();
    a.stubFor(post(anyUrl()).willReturn(okJson(FakeUpstream.chatCompletion("ok"))));
    HttpResponse<String> reset =
        two.method("POST", "/admin/keys/pa/k1/reset", "X-Admin-Token", ADMIN);
    assertEquals(200, reset.statusCode(), reset.body());
    assertFalse(cooling(two, "k1"));
    Await.until(PROPAGATION, "replica one ends k1's cooldown", () -> !cooling(one, "k1"));

    a.resetRequests();
    for (int i = 0; i < 2; i++) {
      assertEquals(200, one.post("/v1/chat/completions", CHAT).statusCode());
    }
    assertTrue(auths(a).contains("Bearer sk-secret-k1"), auths(a).toString());
    try (var client = redis.client()) {
      assertTrue(
          client.hget("llmgw:cooldowns", "pa\nk1").contains("\"type\":\"reset\""),
          "the shared state holds the reset");
    }
  }

  @Test
  void aProviderOpensOnTheFleetsFailureRateThoughNoReplicaAloneHasEnoughAttempts() {
    String[] breaker = {
      "GATEWAY_BREAKER_MIN_ATTEMPTS", "20",
      "GATEWAY_BREAKER_CONSECUTIVE_FAILURES", "1000",
      "GATEWAY_KEY_COOLDOWN_SEC", "0"
    };
    GatewayUnderTest one = replica("one", breaker);
    GatewayUnderTest two = replica("two", breaker);
    a.stubFor(
        post(anyUrl())
            .willReturn(aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"x\"}}")));
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> r = one.post("/v1/chat/completions", CHAT);
      assertEquals(200, r.statusCode(), "pb answers when pa fails");
      assertEquals("pb", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    }
    assertEquals("closed", circuit(one, "pa"), "12 attempts are below the minimum of 20");
    Await.until(
        PROPAGATION,
        "replica two sees replica one's attempts",
        () ->
            json(two.get("/admin/keys", "X-Admin-Token", ADMIN).body())
                    .at("/providers/0/breaker/window_attempts")
                    .asInt()
                >= 12);
    for (int i = 0; i < 12 && circuit(two, "pa").equals("closed"); i++) {
      assertEquals(200, two.post("/v1/chat/completions", CHAT).statusCode());
    }
    assertEquals("open", circuit(two, "pa"));
    Await.until(PROPAGATION, "replica one demotes pa too", () -> circuit(one, "pa").equals("open"));

    int before = a.findAll(anyRequestedFor(anyUrl())).size();
    for (GatewayUnderTest gw : List.of(one, two)) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
      assertEquals(200, r.statusCode());
      assertEquals("pb", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    }
    assertEquals(before, a.findAll(anyRequestedFor(anyUrl())).size(), "pa is demoted on both");
  }

  @Test
  void withRedisGoneRequestsSucceedOnLocalStateAndSharingResumesWhenItReturns() {
    GatewayUnderTest one = replica("one", "GATEWAY_REDIS_TIMEOUT_MS", "20");
    GatewayUnderTest two = replica("two", "GATEWAY_REDIS_TIMEOUT_MS", "20");
    redis.kill();

    answerKey(a, "k1", 429, "{\"error\":{\"message\":\"slow down\"}}");
    for (GatewayUnderTest gw : List.of(one, two, one, two)) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
      assertEquals(200, r.statusCode(), r.body());
    }
    assertTrue(cooling(one, "k1"));
    assertTrue(cooling(two, "k1"), "each replica learnt it on its own");
    PromText metrics = PromText.parse(one.get("/metrics").body());
    assertEquals(0.0, metrics.sum("gateway_redis_up"));
    assertTrue(metrics.sum("gateway_redis_fallbacks_total") >= 1, "fallbacks are counted");

    // while Redis is gone, an operator resets k1 on two only; then Redis returns (empty)
    a.resetMappings();
    a.stubFor(post(anyUrl()).willReturn(okJson(FakeUpstream.chatCompletion("ok"))));
    assertEquals(
        200, two.method("POST", "/admin/keys/pa/k1/reset", "X-Admin-Token", ADMIN).statusCode());
    redis.restart();
    Await.until(
        PROPAGATION,
        "both replicas reach redis again",
        () ->
            PromText.parse(one.get("/metrics").body()).sum("gateway_redis_up") == 1.0
                && PromText.parse(two.get("/metrics").body()).sum("gateway_redis_up") == 1.0);
    Await.until(
        PROPAGATION,
        "the reset made while redis was gone reaches replica one",
        () -> !cooling(one, "k1"));

    // shared state works again: a fresh cooldown on two reaches one
    answerKey(a, "k2", 429, "{\"error\":{\"message\":\"slow down\"}}");
    for (int i = 0; i < 2 && !cooling(two, "k2"); i++) {
      assertEquals(200, two.post("/v1/chat/completions", CHAT).statusCode());
    }
    assertTrue(cooling(two, "k2"));
    Await.until(PROPAGATION, "replica one learns k2's cooldown", () -> cooling(one, "k2"));
  }

  @Test
  void aHungRedisCostsRequestsAtMostItsShortTimeoutAndSharingResumesWhenItAnswers() {
    GatewayUnderTest one = replica("one", "GATEWAY_REDIS_TIMEOUT_MS", "20");
    GatewayUnderTest two = replica("two", "GATEWAY_REDIS_TIMEOUT_MS", "20");
    redis.freeze();
    answerKey(a, "k1", 429, "{\"error\":{\"message\":\"slow down\"}}");
    long started = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      GatewayUnderTest gw = i % 2 == 0 ? one : two;
      HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
      assertEquals(200, r.statusCode(), r.body());
    }
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    // a hang guard, not a speed target: waiting on the frozen Redis (socket reads without a
    // timeout)
    // would take the subscriber's 3 s read timeout or forever
    assertTrue(tookMillis < 3_000, "20 requests took " + tookMillis + " ms");
    Await.until(
        PROPAGATION,
        "replica one runs on local state",
        () -> PromText.parse(one.get("/metrics").body()).sum("gateway_redis_up") == 0.0);

    redis.thaw();
    Await.until(
        PROPAGATION,
        "both replicas reach redis again",
        () ->
            PromText.parse(one.get("/metrics").body()).sum("gateway_redis_up") == 1.0
                && PromText.parse(two.get("/metrics").body()).sum("gateway_redis_up") == 1.0);
    answerKey(a, "k2", 429, "{\"error\":{\"message\":\"slow down\"}}");
    for (int i = 0; i < 2 && !cooling(one, "k2"); i++) {
      one.post("/v1/chat/completions", CHAT);
    }
    assertTrue(cooling(one, "k2"));
    Await.until(PROPAGATION, "replica two learns k2's cooldown", () -> cooling(two, "k2"));
  }

  @Test
  void aReplicaStartedWhileRedisIsDownServesAndJoinsTheFleetWhenRedisComes() {
    redis.kill();
    GatewayUnderTest one = replica("one");
    assertEquals(200, one.post("/v1/chat/completions", CHAT).statusCode());
    redis.restart();
    GatewayUnderTest two = replica("two");
    Await.until(
        PROPAGATION,
        "replica one reaches redis",
        () -> PromText.parse(one.get("/metrics").body()).sum("gateway_redis_up") == 1.0);
    answerKey(a, "k1", 429, "{\"error\":{\"message\":\"slow down\"}}");
    for (int i = 0; i < 2 && !cooling(two, "k1"); i++) {
      assertEquals(200, two.post("/v1/chat/completions", CHAT).statusCode());
    }
    Await.until(PROPAGATION, "replica one learns k1's cooldown", () -> cooling(one, "k1"));
  }

  @Test
  void adminStatsShowEveryReplicasTotalsAndTheirSum() {
    GatewayUnderTest one = replica("one");
    GatewayUnderTest two = replica("two");
    for (int i = 0; i < 3; i++) {
      assertEquals(200, one.post("/v1/chat/completions", CHAT).statusCode());
    }
    for (int i = 0; i < 2; i++) {
      assertEquals(200, two.post("/v1/chat/completions", CHAT).statusCode());
    }
    Await.until(
        PROPAGATION,
        "both replicas reported 5 requests in total",
        () ->
            json(one.get("/admin/stats", "X-Admin-Token", ADMIN).body())
                    .at("/fleet/totals/requests")
                    .asLong()
                == 5);
    JsonNode fleet = json(one.get("/admin/stats", "X-Admin-Token", ADMIN).body()).get("fleet");
    assertTrue(fleet.get("available").asBoolean());
    assertEquals("one", fleet.get("self").asText());
    assertEquals(2, fleet.get("replica_count").asInt());
    assertEquals("one", fleet.at("/replicas/0/replica").asText());
    assertTrue(fleet.at("/replicas/0/self").asBoolean());
    assertEquals(3, fleet.at("/replicas/0/totals/requests").asLong());
    assertEquals("two", fleet.at("/replicas/1/replica").asText());
    assertEquals(2, fleet.at("/replicas/1/totals/requests").asLong());
    assertEquals(
        3,
        json(one.get("/admin/stats", "X-Admin-Token", ADMIN).body())
            .at("/totals/requests")
            .asLong(),
        "the replica's own totals stay its own");
  }
}
