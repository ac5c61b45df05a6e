package org.llmgateway.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.PromText;

/**
 * Failover across keys and providers. The upstreams are WireMock servers; only the test that needs
 * a large body cut after the gateway committed its answer uses the hand-made {@link FakeUpstream}.
 */
class FailoverTest {
  private static final String CHAT =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** Below the default priority 5 of the stubs a test adds, so those win. */
  private static final int FALLBACK_PRIORITY = 10;

  private final WireMockServer a =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private final WireMockServer b =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private FakeUpstream cutA;
  private GatewayUnderTest gw;

  @BeforeEach
  void startUpstreams() {
    for (WireMockServer up : List.of(a, b)) {
      up.start();
      up.stubFor(post(anyUrl()).atPriority(FALLBACK_PRIORITY).willReturn(ok("fake")));
    }
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    a.stop();
    b.stop();
    if (cutA != null) {
      cutA.close();
    }
  }

  private static ResponseDefinitionBuilder ok(String content) {
    return okJson(FakeUpstream.chatCompletion(content));
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  /** Every request of {@code up} answers {@code reply}. */
  private static void answer(WireMockServer up, ResponseDefinitionBuilder reply) {
    up.stubFor(post(anyUrl()).willReturn(reply));
  }

  /** Requests carrying key {@code keyId} answer {@code reply}. */
  private static void answerKey(WireMockServer up, String keyId, ResponseDefinitionBuilder reply) {
    up.stubFor(
        post(anyUrl())
            .withHeader("Authorization", equalTo("Bearer sk-secret-" + keyId))
            .willReturn(reply));
  }

  /** The requests {@code up} received, oldest first. */
  private static List<LoggedRequest> received(WireMockServer up) {
    return up.findAll(anyRequestedFor(anyUrl()));
  }

  private static int calls(WireMockServer up) {
    return received(up).size();
  }

  private static List<String> auths(WireMockServer up) {
    return received(up).stream().map(x -> x.getHeader("Authorization")).toList();
  }

  private static String provider(String name, String url, int timeoutMs, String... keys) {
    StringBuilder sb =
        new StringBuilder(
            "  "
                + name
                + ":\n    base_url: \""
                + url
                + "\"\n    timeout_ms: "
                + timeoutMs
                + "\n    endpoints: {chat_completions: /v1/chat/completions}\n    keys:\n");
    for (String k : keys) {
      sb.append("      - {id: ").append(k).append(", value: sk-secret-").append(k).append("}\n");
    }
    return sb.toString();
  }

  private GatewayUnderTest start(String providers, String policy, String... env) {
    var builder =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                "version: 1\nproviders:\n"
                    + providers
                    + "models:\n  m:\n    aliases: [m-alias]\n    provider_map: {a: up-a, b: up-b}\n"
                    + policy)
            .env("GATEWAY_EXPOSE_SELECTION", "true");
    for (int i = 0; i + 1 < env.length; i += 2) {
      builder.env(env[i], env[i + 1]);
    }
    gw = builder.start();
    return gw;
  }

  private static final String A_FIRST = "    policy: {default_providers: [a, b]}\n";

  @Test
  void theDefaultProviderTakesAllTheTraffic() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
      assertEquals(200, r.statusCode());
      assertEquals("a", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    }
    assertEquals(10, calls(a));
    assertEquals(0, calls(b));
    assertTrue(
        received(a).stream().allMatch(x -> x.getBodyAsString().contains("\"model\":\"up-a\"")));
  }

  @Test
  void keysRotateRoundRobinAsTheUpstreamSeesThem() {
    start(
        provider("a", a.baseUrl(), 5000, "a1", "a2", "a3") + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST);
    for (int i = 0; i < 6; i++) {
      assertEquals(200, gw.post("/v1/chat/completions", CHAT).statusCode());
    }
    List<String> auth = auths(a);
    assertEquals(
        List.of(
            "Bearer sk-secret-a1",
            "Bearer sk-secret-a2",
            "Bearer sk-secret-a3",
            "Bearer sk-secret-a1",
            "Bearer sk-secret-a2",
            "Bearer sk-secret-a3"),
        auth);
  }

  @Test
  void a401CoolsTheKeyDownAndTheNextKeyOfTheSameProviderIsTriedFirst() throws Exception {
    start(
        provider("a", a.baseUrl(), 5000, "a1", "a2") + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST,
        "GATEWAY_KEY_COOLDOWN_SEC",
        "1");
    answer(a, ok("from a2"));
    answerKey(a, "a1", json(401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));
    HttpResponse<String> first = gw.post("/v1/chat/completions", CHAT);
    assertEquals(200, first.statusCode());
    assertEquals("a2", first.headers().firstValue("X-Selected-Key-Id").orElseThrow());
    assertEquals(0, calls(b));
    a.resetRequests();
    for (int i = 0; i < 4; i++) {
      assertEquals(200, gw.post("/v1/chat/completions", CHAT).statusCode());
    }
    assertTrue(auths(a).stream().allMatch(x -> x.endsWith("a2")), "a1 is cooling");
    Thread.sleep(1100);
    a.resetRequests();
    answer(a, ok("ok"));
    for (int i = 0; i < 4; i++) {
      gw.post("/v1/chat/completions", CHAT);
    }
    assertTrue(auths(a).stream().anyMatch(x -> x.endsWith("a1")), "a1 recovered");
  }

  @Test
  void a429WithRetryAfterCoolsTheKeyForThatLong() throws Exception {
    start(
        provider("a", a.baseUrl(), 5000, "a1", "a2") + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST);
    answer(a, ok("a2"));
    answerKey(
        a, "a1", json(429, "{\"error\":{\"type\":\"rate_limit\"}}").withHeader("Retry-After", "1"));
    assertEquals(200, gw.post("/v1/chat/completions", CHAT).statusCode());
    a.resetRequests();
    answer(a, ok("ok"));
    gw.post("/v1/chat/completions", CHAT);
    gw.post("/v1/chat/completions", CHAT);
    assertTrue(auths(a).stream().noneMatch(x -> x.endsWith("a1")));
    Thread.sleep(1100);
    a.resetRequests();
    gw.post("/v1/chat/completions", CHAT);
    gw.post("/v1/chat/completions", CHAT);
    assertTrue(
        auths(a).stream().anyMatch(x -> x.endsWith("a1")),
        "Retry-After: 1 beats the default 600 s cooldown");
  }

  @Test
  void a5xxFailsOverToTheNextProvider() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    answer(a, json(503, "{\"error\":\"overloaded\"}"));
    answer(b, ok("from b"));
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("from b"));
    assertEquals("b", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    assertEquals("2", r.headers().firstValue("X-Gateway-Attempts").orElseThrow());
    assertTrue(received(b).get(0).getBodyAsString().contains("\"model\":\"up-b\""));
  }

  @Test
  void aRefusedConnectionFailsOverToTheNextProvider() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    start(
        provider("a", "http://127.0.0.1:" + closedPort, 5000, "a1")
            + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST);
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(200, r.statusCode());
    assertEquals("b", r.headers().firstValue("X-Selected-Provider").orElseThrow());
  }

  @Test
  void aProviderSlowerThanItsTimeoutFailsOverToTheNext() {
    start(provider("a", a.baseUrl(), 300, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    answer(a, ok("too late").withFixedDelay(3000));
    long t0 = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(200, r.statusCode());
    assertEquals("b", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    assertTrue(ms < 2500, "failed over after the 300 ms timeout, took " + ms + " ms");
  }

  @Test
  void aProviderThatKeepsFailingIsDemotedBehindTheOthersByTheBreaker() throws Exception {
    start(
        provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST,
        "GATEWAY_ADMIN_TOKEN",
        "adm-failover");
    answer(a, json(500, "{\"error\":\"boom\"}"));
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
      assertEquals(200, r.statusCode());
      assertEquals(
          "2", r.headers().firstValue("X-Gateway-Attempts").orElseThrow(), "a first, then b");
    }
    assertEquals(5, calls(a), "five failures in a row open a's circuit");
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
      assertEquals(200, r.statusCode());
      assertEquals("b", r.headers().firstValue("X-Selected-Provider").orElseThrow());
      assertEquals("1", r.headers().firstValue("X-Gateway-Attempts").orElseThrow(), "b first now");
    }
    assertEquals(5, calls(a), "the open circuit keeps a behind b");
    JsonNode breaker =
        new ObjectMapper()
            .readTree(gw.get("/admin/keys", "X-Admin-Token", "adm-failover").body())
            .at("/providers/0");
    assertEquals("a", breaker.get("provider").asText());
    assertEquals("open", breaker.get("circuit").asText());
    assertEquals("5 consecutive failures", breaker.at("/breaker/reason").asText());
    assertEquals(1.0, breaker.at("/breaker/failure_rate").asDouble(), "every attempt of a failed");
    assertEquals(1, breaker.at("/breaker/opens").asInt());
    assertTrue(breaker.at("/breaker/open_until").isTextual());
  }

  @Test
  void aDemotedProviderIsStillTriedWhenEveryOtherFails() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    answer(a, json(500, "{\"error\":\"boom\"}"));
    for (int i = 0; i < 5; i++) {
      gw.post("/v1/chat/completions", CHAT);
    }
    answer(a, ok("a is back"));
    answer(b, json(503, "{\"error\":\"b down\"}"));
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("a is back"), r.body());
    assertEquals("a", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    assertEquals(
        "2",
        r.headers().firstValue("X-Gateway-Attempts").orElseThrow(),
        "b first, then the demoted a");
  }

  @Test
  void whenEveryCircuitIsOpenRequestsStillTryThemAndAnswerFromTheFirstThatWorks() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    answer(a, json(500, "{\"error\":\"a down\"}"));
    answer(b, json(502, "{\"error\":\"b down\"}"));
    for (int i = 0; i < 5; i++) {
      assertEquals(
          502, gw.post("/v1/chat/completions", CHAT).statusCode(), "the last upstream answer");
    }
    PromText metrics = PromText.parse(gw.get("/metrics").body());
    assertEquals(1, metrics.sum("gateway_circuit_state", "provider", "a"), "a open");
    assertEquals(1, metrics.sum("gateway_circuit_state", "provider", "b"), "b open");
    assertEquals(1, metrics.sum("gateway_circuit_opens_total", "provider", "a"));
    assertEquals(
        1,
        metrics.sum("gateway_circuit_failure_rate", "provider", "b"),
        "every attempt of b failed");
    answer(b, ok("b is back"));
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("b is back"));
  }

  @Test
  void aValidationErrorIsRelayedUnchangedWithoutRetry() {
    start(
        provider("a", a.baseUrl(), 5000, "a1", "a2") + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST);
    String err =
        "{\"error\":{\"message\":\"messages: field required\",\"type\":\"invalid_request_error\",\"code\":null}}";
    answer(a, json(400, err).withHeader("X-Custom", "kept"));
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(400, r.statusCode());
    assertEquals(err, r.body());
    assertEquals("kept", r.headers().firstValue("X-Custom").orElseThrow());
    assertEquals(1, calls(a));
    assertEquals(0, calls(b));
  }

  @Test
  void whenEveryUpstreamAnswersWithAnErrorTheLastAnswerIsRelayed() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    answer(a, json(500, "{\"error\":\"a down\"}"));
    answer(b, json(502, "{\"error\":\"b down\"}"));
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(502, r.statusCode());
    assertEquals("{\"error\":\"b down\"}", r.body());
  }

  @Test
  void whenEveryFailureIsAtTheNetworkLevelTheAnswerIs502ListingEachProviderButNoKey()
      throws Exception {
    int p1;
    int p2;
    try (ServerSocket s1 = new ServerSocket(0);
        ServerSocket s2 = new ServerSocket(0)) {
      p1 = s1.getLocalPort();
      p2 = s2.getLocalPort();
    }
    start(
        provider("a", "http://127.0.0.1:" + p1, 5000, "a1")
            + provider("b", "http://127.0.0.1:" + p2, 5000, "b1"),
        A_FIRST);
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(502, r.statusCode());
    assertTrue(r.body().contains("upstream request failed"), r.body());
    assertTrue(
        r.body().contains("a: connection refused") && r.body().contains("b: connection refused"),
        r.body());
    assertTrue(r.body().contains("\"type\":\"upstream_error\""), r.body());
    assertTrue(!r.body().contains("sk-secret"), r.body());
  }

  @Test
  void whenEveryKeyIsCoolingTheAnswerIs503NoProviderAvailable() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    answer(a, json(401, "{\"error\":\"bad key\"}"));
    answer(b, json(403, "{\"error\":\"forbidden\"}"));
    HttpResponse<String> first = gw.post("/v1/chat/completions", CHAT);
    assertEquals(403, first.statusCode(), "the last upstream answer is relayed");
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(503, r.statusCode());
    assertTrue(r.body().contains("no provider available"), r.body());
    assertEquals(2, calls(a) + calls(b), "cooling keys are not tried again");
  }

  @Test
  void whenEveryKeyIsCoolingAndOneReturnsWithinTheWaitTheRequestWaitsForItInsteadOf503() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    answer(b, json(401, "{\"error\":\"bad key\"}"));
    a.stubFor(
        post(anyUrl())
            .inScenario("a1 limited once")
            .whenScenarioStateIs(STARTED)
            .willReturn(
                json(429, "{\"error\":{\"type\":\"rate_limit\"}}").withHeader("Retry-After", "1"))
            .willSetStateTo("limited"));
    a.stubFor(
        post(anyUrl())
            .inScenario("a1 limited once")
            .whenScenarioStateIs("limited")
            .willReturn(ok("after the wait")));
    long t0 = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("after the wait"));
    assertEquals(2, calls(a));
    assertEquals(1, calls(b), "b's key cools for 600 s: not waited for");
    assertTrue(ms >= 900, "waited for a1's Retry-After, took " + ms + " ms");
    assertEquals(
        "3", r.headers().firstValue("X-Gateway-Attempts").orElseThrow(), "a, b, then a again");
    assertEquals(1, PromText.parse(gw.get("/metrics").body()).sum("gateway_key_waits_total"));
  }

  @Test
  void aCooldownLongerThanTheWaitIsNotWaitedFor() {
    start(
        provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST,
        "GATEWAY_KEY_COOLDOWN_WAIT_MS",
        "500");
    for (WireMockServer up : List.of(a, b)) {
      answer(up, json(429, "{\"error\":{\"type\":\"rate_limit\"}}").withHeader("Retry-After", "2"));
    }
    long t0 = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(429, r.statusCode(), "the upstream's last answer");
    assertEquals(1, calls(a));
    assertEquals(1, calls(b));
    assertTrue(ms < 1500, "did not wait 2 s for a 500 ms budget, took " + ms + " ms");
    HttpResponse<String> next = gw.post("/v1/chat/completions", CHAT);
    assertEquals(503, next.statusCode(), "nothing may be tried: every key cools");
    assertTrue(
        next.body().contains("a: every key is cooling down; b: every key is cooling down"),
        next.body());
  }

  @Test
  void theProviderFieldPicksTheFirstAttemptAndIsNotForwarded() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    HttpResponse<String> r =
        gw.post(
            "/v1/chat/completions", "{\"model\":\"m-alias\",\"provider\":\"b\",\"messages\":[]}");
    assertEquals(200, r.statusCode());
    assertEquals("b", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    assertEquals("{\"model\":\"up-b\",\"messages\":[]}", received(b).get(0).getBodyAsString());
  }

  @Test
  void theClientsCredentialsAreNeverForwardedAndTheRequestIdIs() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    HttpResponse<String> r =
        gw.post(
            "/v1/chat/completions",
            CHAT,
            "Authorization",
            "Bearer client-token",
            "x-api-key",
            "client-key",
            "Cookie",
            "session=1",
            "X-Request-Id",
            "client.req-42");
    assertEquals("client.req-42", r.headers().firstValue("X-Request-Id").orElseThrow());
    LoggedRequest got = received(a).get(0);
    assertEquals("Bearer sk-secret-a1", got.getHeader("Authorization"));
    assertNull(got.getHeader("x-api-key"));
    assertNull(got.getHeader("Cookie"));
    assertEquals("client.req-42", got.getHeader("X-Request-Id"));
  }

  @Test
  void anInvalidClientRequestIdIsReplacedAndTheUpstreamsIdNeverWins() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    answer(a, ok("x").withHeader("X-Request-Id", "upstream-id"));
    HttpResponse<String> r =
        gw.post("/v1/chat/completions", CHAT, "X-Request-Id", "bad id with spaces");
    String id = r.headers().firstValue("X-Request-Id").orElseThrow();
    assertTrue(id.matches("[0-9a-f]{32}"), id);
    assertEquals(id, received(a).get(0).getHeader("X-Request-Id"));
    assertEquals("upstream-id", r.headers().firstValue("X-Upstream-Request-Id").orElseThrow());
  }

  @Test
  void aNonStreamBodyCutByTheUpstreamIsNeverPassedOffAsA200() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    // a chunked JSON body that dies half-way: nothing reached the client yet, so it gets a 502
    // error, not a torso
    for (WireMockServer up : List.of(a, b)) {
      answer(up, aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
    }
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(502, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"type\":\"upstream_error\""), r.body());
    assertTrue(r.body().contains("upstream request failed"), r.body());
  }

  @Test
  void aNonStreamBodyCutBeforeAnythingReachedTheClientFailsOverToTheNextProvider() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    answer(a, aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
    answer(b, ok("from b"));
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("from b"));
    assertEquals("b", r.headers().firstValue("X-Selected-Provider").orElseThrow());
  }

  @Test
  void theRequestDeadlineBoundsEveryAttemptTogetherAndDoesNotOpenCircuits() {
    start(
        provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST,
        "GATEWAY_REQUEST_TIMEOUT_MS",
        "400");
    answer(a, ok("late").withFixedDelay(2000));
    long t0 = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(504, r.statusCode(), r.body());
    assertTrue(r.body().contains("deadline"), r.body());
    assertTrue(ms < 1500, "answered after the 400 ms deadline, took " + ms + " ms");
    assertEquals(0, calls(b), "no time was left for b");
    answer(a, ok("fast again"));
    for (int i = 0; i < 4; i++) {
      assertEquals(200, gw.post("/v1/chat/completions", CHAT).statusCode());
    }
    assertEquals(5, calls(a), "the deadline did not count against a's circuit");
  }

  @Test
  void attemptsStopAtTheConfiguredMaximum() {
    start(
        provider("a", a.baseUrl(), 5000, "a1", "a2", "a3", "a4")
            + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST,
        "GATEWAY_MAX_ATTEMPTS",
        "2");
    answer(a, json(429, "{\"error\":\"slow down\"}"));
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(429, r.statusCode());
    assertEquals(2, calls(a));
    assertEquals(0, calls(b));
  }

  @Test
  void aZeroCooldownKeepsAFailingKeyInRotation() {
    start(
        provider("a", a.baseUrl(), 5000, "a1", "a2") + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST,
        "GATEWAY_KEY_COOLDOWN_SEC",
        "0");
    answer(a, ok("a2"));
    answerKey(a, "a1", json(429, "{}"));
    for (int i = 0; i < 4; i++) {
      assertEquals(200, gw.post("/v1/chat/completions", CHAT).statusCode());
    }
    assertTrue(
        auths(a).stream().filter(x -> x.endsWith("a1")).count() >= 2,
        "a1 is tried again without cooldown");
  }

  @Test
  void hopByHopHeadersAndThoseNamedInConnectionAreNotRelayed() {
    start(provider("a", a.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"), A_FIRST);
    answer(
        a,
        ok("x")
            .withHeader("Connection", "X-Secret-Hop")
            .withHeader("X-Secret-Hop", "1")
            .withHeader("Keep-Alive", "timeout=5")
            .withHeader("X-Ratelimit-Remaining", "9")
            .withHeader("Set-Cookie", "id=1"));
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("X-Secret-Hop").isEmpty());
    assertTrue(r.headers().firstValue("Keep-Alive").isEmpty());
    assertTrue(r.headers().firstValue("Set-Cookie").isEmpty());
    assertEquals("9", r.headers().firstValue("X-Ratelimit-Remaining").orElseThrow());
  }

  @Test
  void aLargeNonStreamBodyCutAfterTheCommitIsCutForTheClientToo() {
    // more than the container buffers: the 200 is committed before the upstream dies; the client
    // must not see a
    // complete-looking response
    String big = "{\"data\":\"" + "x".repeat(100_000) + "\",";
    // hand-made fake: WireMock's Faults cannot send 100 kB of a body and then die
    cutA =
        new FakeUpstream()
            .script(r -> new FakeUpstream.Sse(List.of(big, "\"more\":1}"), 0, 1, false));
    start(
        provider("a", cutA.baseUrl(), 5000, "a1") + provider("b", b.baseUrl(), 5000, "b1"),
        A_FIRST);
    assertThrows(UncheckedIOException.class, () -> gw.post("/v1/chat/completions", CHAT));
  }

  @Test
  void selectionHeadersAreOffByDefault() {
    gw =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                "version: 1\nproviders:\n"
                    + provider("a", a.baseUrl(), 5000, "a1")
                    + "models:\n  m:\n    provider_map: {a: up-a}\n")
            .start();
    HttpResponse<String> r = gw.post("/v1/chat/completions", CHAT);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("X-Selected-Provider").isEmpty());
    assertTrue(r.headers().firstValue("X-Selected-Key-Id").isEmpty());
  }
}
