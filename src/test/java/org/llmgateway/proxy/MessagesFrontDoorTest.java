package org.llmgateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;

/**
 * The Anthropic Messages front door shares routing, failover, key rotation and gateway keys with
 * chat completions, across provider dialects, and answers its own errors in Anthropic's shape and
 * status codes.
 */
class MessagesFrontDoorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ASK =
      "{\"model\":\"m\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private final FakeUpstream claude = new FakeUpstream();
  private final FakeUpstream oai = new FakeUpstream();
  private final FakeUpstream gemini = new FakeUpstream();
  private GatewayUnderTest gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    claude.close();
    oai.close();
    gemini.close();
  }

  private GatewayUnderTest start(String policy, String... env) {
    GatewayUnderTest.Builder b =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                """
        version: 1
        providers:
          claude:
            type: anthropic
            base_url: "%s"
            keys: [{id: c1, value: "sk-ant-1"}]
          oai:
            base_url: "%s"
            keys: [{id: o1, value: "sk-oai-1"}]
          gem:
            type: gemini
            base_url: "%s"
            keys: [{id: g1, value: "gem-key-1"}, {id: g2, value: "gem-key-2"}]
        """
                    .formatted(claude.baseUrl(), oai.baseUrl(), gemini.baseUrl()))
            .file(
                "models.yaml",
                """
        version: 1
        models:
          m:
            provider_map: {claude: claude-x, oai: gpt-x, gem: gemini-x}
            policy: %s
        """
                    .formatted(policy))
            .file(
                "keys.yaml",
                """
        version: 1
        gateway_keys:
          - {key_id: team, key: "sk-gw-team", tenant_id: t, enabled: true}
        """)
            .env("GATEWAY_EXPOSE_SELECTION", "true");
    for (int i = 0; i + 1 < env.length; i += 2) {
      b.env(env[i], env[i + 1]);
    }
    gw = b.start();
    return gw;
  }

  @Test
  void anOverloadedAnthropicProviderFailsOverToAnOpenAiProviderInvisibly() throws Exception {
    start("{default_providers: [claude, oai]}");
    claude.script(
        r ->
            FakeUpstream.status(
                529,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    oai.script(r -> FakeUpstream.ok("from gpt"));
    var resp = gw.post("/v1/messages", ASK);
    assertEquals(200, resp.statusCode(), resp.body());
    JsonNode body = JSON.readTree(resp.body());
    assertEquals("from gpt", body.path("content").path(0).path("text").asText());
    assertEquals("oai", resp.headers().firstValue("X-Selected-Provider").orElseThrow());
    assertEquals("2", resp.headers().firstValue("X-Gateway-Attempts").orElseThrow());
    assertEquals(1, claude.calls());
  }

  @Test
  void anExhaustedGeminiKeyRotatesToTheNextKey() throws Exception {
    start("{default_providers: [gem]}");
    gemini.script(
        r ->
            "gem-key-1".equals(r.header("x-goog-api-key"))
                ? FakeUpstream.status(
                    429,
                    "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}")
                : new FakeUpstream.Json(
                    200,
                    "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"ok\"}],\"role\":\"model\"},\"finishReason\":\"STOP\"}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1,\"totalTokenCount\":4}}",
                    Map.of()));
    var resp =
        gw.post(
            "/v1/chat/completions",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertEquals(200, resp.statusCode(), resp.body());
    assertEquals(
        "ok",
        JSON.readTree(resp.body())
            .path("choices")
            .path(0)
            .path("message")
            .path("content")
            .asText());
    assertEquals(
        List.of("gem-key-1", "gem-key-2"),
        gemini.received().stream().map(r -> r.header("x-goog-api-key")).toList());
    assertEquals("g2", resp.headers().firstValue("X-Selected-Key-Id").orElseThrow());
  }

  @Test
  void whenEveryGeminiKeyIsExhaustedTheLastAnswerIsRelayedInTheClientsShape() {
    start("{default_providers: [gem], allow_providers: [gem]}");
    gemini.script(
        r ->
            FakeUpstream.status(
                429,
                "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}"));
    var resp = gw.post("/v1/messages", ASK);
    assertEquals(429, resp.statusCode());
    assertEquals(
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":"
            + "\"Resource has been exhausted (RESOURCE_EXHAUSTED)\"}}",
        resp.body());
    var again = gw.post("/v1/messages", ASK);
    assertEquals(529, again.statusCode());
    assertTrue(
        again
            .body()
            .startsWith(
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"no provider available"),
        again.body());
  }

  @Test
  void gatewayKeysAreReadFromXApiKeyAndBearerAndRefusedInAnthropicShape() {
    start("{default_providers: [oai]}", "GATEWAY_AUTH_ENABLED", "true");
    oai.script(r -> FakeUpstream.ok("hi"));
    assertEquals(200, gw.post("/v1/messages", ASK, "x-api-key", "sk-gw-team").statusCode());
    assertEquals(
        200, gw.post("/v1/messages", ASK, "Authorization", "Bearer sk-gw-team").statusCode());
    var missing = gw.post("/v1/messages", ASK);
    assertEquals(401, missing.statusCode());
    assertEquals(
        "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"missing API key\"}}",
        missing.body());
    assertEquals(401, gw.post("/v1/messages", ASK, "x-api-key", "sk-wrong").statusCode());
    assertTrue(
        oai.received().stream()
            .noneMatch(
                r ->
                    "sk-gw-team".equals(r.header("x-api-key"))
                        || r.header("authorization").contains("sk-gw-team")));
  }

  @Test
  void gatewayErrorsAtTheMessagesDoorUseAnthropicShapesAndStatuses() {
    start("{default_providers: [oai], allow_providers: [oai]}");
    var get = gw.get("/v1/messages");
    assertEquals(405, get.statusCode());
    assertTrue(
        get.body().startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\""),
        get.body());
    var bad = gw.post("/v1/messages", "{not json");
    assertEquals(400, bad.statusCode());
    assertTrue(
        bad.body()
            .startsWith(
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"invalid json body"),
        bad.body());
    // unreachable upstream: 500 api_error (an OpenAI client would get 502)
    oai.close();
    var down = gw.post("/v1/messages", ASK);
    assertEquals(500, down.statusCode());
    assertTrue(
        down.body()
            .startsWith(
                "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream request failed: oai"),
        down.body());
    var chat = gw.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}");
    assertEquals(502, chat.statusCode());
    assertTrue(chat.body().startsWith("{\"error\":{"), chat.body());
  }

  @Test
  void messagesThatAreNotAnArrayAreRefusedInTheClientsShapeBeforeAnyUpstream() {
    start("{default_providers: [oai, claude]}");
    for (String body :
        new String[] {
          "{\"model\":\"m\",\"max_tokens\":5,\"messages\":\"hi\"}",
          "{\"model\":\"m\",\"max_tokens\":5,\"messages\":{\"role\":\"user\"}}"
        }) {
      var messages = gw.post("/v1/messages", body);
      assertEquals(400, messages.statusCode(), body);
      assertEquals(
          "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
              + "\"message\":\"messages must be an array of message objects\"}}",
          messages.body());
      var chat = gw.post("/v1/chat/completions", body);
      assertEquals(400, chat.statusCode(), body);
      assertEquals(
          "{\"error\":{\"message\":\"messages must be an array of message objects\","
              + "\"type\":\"invalid_request_error\",\"code\":\"invalid_messages\"}}",
          chat.body());
    }
    assertEquals(0, oai.calls() + claude.calls(), "nothing reached a provider");
  }

  @Test
  void messagesAreCountedUnderTheirOwnRouteInMetrics() {
    start("{default_providers: [claude]}");
    claude.script(
        r ->
            new FakeUpstream.Json(
                200,
                "{\"id\":\"msg\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\","
                    + "\"content\":[],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":5,\"output_tokens\":2}}",
                Map.of()));
    assertEquals(200, gw.post("/prefix/v1/messages", ASK).statusCode());
    String metrics = gw.get("/metrics").body();
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.contains("route=\"messages\"")
                        && l.contains("provider=\"claude\"")
                        && l.contains("status=\"200\"")),
        metrics);
  }
}
