package org.llmgateway.fleet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.routing.KeyPool;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.RedisServer;

/**
 * Cooldown after cooldown on one replica, each reaching the other before it sends its next request:
 * the other replica never spends a request on a key the fleet knows is cooling. The suite runs a
 * few rounds; {@code src/bench/fleet.sh} runs many ({@code fleet.rounds}) and reports how long each
 * cooldown took to reach the other replica.
 */
class CooldownPropagationTest {
  private static final int ROUNDS = Integer.getInteger("fleet.rounds", 10);
  private static final String CHAT =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String ADMIN = "adm-propagation";
  private static final Duration COOLDOWN = Duration.ofSeconds(600);

  private final WireMockServer upstream =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(16));
  private RedisServer redis;
  private GatewayUnderTest one;
  private GatewayUnderTest two;

  @BeforeEach
  void start() {
    redis = RedisServer.onFreePort();
    upstream.start();
    upstream.stubFor(
        post(anyUrl()).atPriority(10).willReturn(okJson(FakeUpstream.chatCompletion("ok"))));
    upstream.stubFor(
        post(anyUrl())
            .withHeader("Authorization", equalTo("Bearer sk-limited"))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":{\"message\":\"rate limited\"}}")));
    one = replica("one");
    two = replica("two");
  }

  @AfterEach
  void stop() {
    for (GatewayUnderTest gw : new GatewayUnderTest[] {one, two}) {
      if (gw != null) {
        gw.close();
      }
    }
    upstream.stop();
    redis.close();
  }

  private GatewayUnderTest replica(String id) {
    String url = upstream.baseUrl();
    return GatewayUnderTest.builder()
        .file(
            "gateway.yaml",
            "version: 1\nproviders:\n"
                + "  limited:\n    base_url: \""
                + url
                + "\"\n    endpoints: {chat_completions: /v1/chat/completions}\n"
                + "    keys: [{id: limited, value: sk-limited}]\n"
                + "  spare:\n    base_url: \""
                + url
                + "\"\n    endpoints: {chat_completions: /v1/chat/completions}\n"
                + "    keys: [{id: spare, value: sk-spare}]\n"
                + "models:\n  m:\n    provider_map: {limited: x, spare: y}\n"
                + "    policy: {default_providers: [limited, spare]}\n")
        .env("GATEWAY_ADMIN_TOKEN", ADMIN)
        .env("GATEWAY_REDIS_URL", redis.url())
        .env("GATEWAY_REDIS_TIMEOUT_MS", "500")
        .env("GATEWAY_REPLICA_ID", id)
        .env("GATEWAY_BREAKER_ENABLED", "false")
        .env("GATEWAY_KEY_COOLDOWN_SEC", Long.toString(COOLDOWN.toSeconds()))
        .start();
  }

  private static boolean cooling(GatewayUnderTest gw) {
    KeyPool keys = gw.server().gateway().keys();
    return keys.view("limited", "limited").cooling();
  }

  private int limitedCalls() {
    return upstream
        .findAll(
            postRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer sk-limited")))
        .size();
  }

  @Test
  void everyCooldownReachesTheOtherReplicaBeforeItsNextRequestAndItSkipsTheKey() {
    List<Long> micros = new ArrayList<>();
    List<Long> requestMicros = new ArrayList<>();
    List<Long> afterAnswerMicros = new ArrayList<>();
    List<Long> propagationMicros = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      assertEquals(
          200,
          two.method("POST", "/admin/keys/limited/limited/reset", "X-Admin-Token", ADMIN)
              .statusCode());
      Await.until(Duration.ofSeconds(5), "the reset reaches replica one", () -> !cooling(one));
      int before = limitedCalls();

      long sent = System.nanoTime();
      HttpResponse<String> onOne = one.post("/v1/chat/completions", CHAT);
      long answered = System.nanoTime();
      assertEquals(200, onOne.statusCode(), "the spare provider answers");
      requestMicros.add((answered - sent) / 1_000);
      while (!cooling(two)) {
        if (System.nanoTime() - sent > Duration.ofSeconds(5).toNanos()) {
          throw new AssertionError("round " + round + ": the cooldown never reached replica two");
        }
        Thread.onSpinWait();
      }
      long seenMillis = System.currentTimeMillis();
      micros.add((System.nanoTime() - sent) / 1_000);
      afterAnswerMicros.add(Math.max(0, System.nanoTime() - answered) / 1_000);
      long cooledAtMillis =
          one.server()
                  .gateway()
                  .keys()
                  .view("limited", "limited")
                  .coolingUntil()
                  .orElseThrow()
                  .toEpochMilli()
              - COOLDOWN.toMillis();
      propagationMicros.add(Math.max(0, seenMillis - cooledAtMillis) * 1_000);

      HttpResponse<String> onTwo = two.post("/v1/chat/completions", CHAT);
      assertEquals(200, onTwo.statusCode());
      assertEquals(
          before + 1, limitedCalls(), "round " + round + ": only replica one tried the key");
    }
    print(
        "from the cooldown on replica one to the key cooling on replica two (1 ms resolution)",
        propagationMicros);
    print("from sending the request to replica one to the key cooling on replica two", micros);
    print("the request on replica one (a 429, then the spare provider)", requestMicros);
    print("from replica one's answer to the key cooling on replica two", afterAnswerMicros);
  }

  private static void print(String what, List<Long> micros) {
    Collections.sort(micros);
    System.out.printf(
        "fleet: %s, %d rounds: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        what,
        micros.size(),
        at(micros, 0.50) / 1000.0,
        at(micros, 0.90) / 1000.0,
        at(micros, 0.99) / 1000.0,
        micros.getLast() / 1000.0);
  }

  private static long at(List<Long> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }
}
