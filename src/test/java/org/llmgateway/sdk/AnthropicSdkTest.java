package org.llmgateway.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.RecordedStreams;

/**
 * The official Anthropic Java SDK, unchanged, against the gateway's {@code /v1/messages} front
 * door, served by an Anthropic upstream (forwarded untranslated), an OpenAI-compatible upstream and
 * a native Gemini upstream (both translated).
 */
class AnthropicSdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeUpstream anthropic;
  private static FakeUpstream openai;
  private static FakeUpstream gemini;
  private static GatewayUnderTest gw;
  private static AnthropicClient client;

  @BeforeAll
  static void start() {
    anthropic = new FakeUpstream();
    openai = new FakeUpstream();
    gemini = new FakeUpstream();
    gw =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                """
        version: 1
        providers:
          claude:
            type: anthropic
            base_url: "%s"
            keys: [{id: c1, value: "sk-ant-upstream"}]
          oai:
            base_url: "%s"
            keys: [{id: o1, value: "sk-oai-upstream"}]
          gem:
            type: gemini
            base_url: "%s"
            keys: [{id: g1, value: "gem-upstream-key"}]
        """
                    .formatted(anthropic.baseUrl(), openai.baseUrl(), gemini.baseUrl()))
            .file(
                "models.yaml",
                """
        version: 1
        models:
          sonnet:
            provider_map: {claude: claude-sonnet-4-5}
          via-openai:
            provider_map: {oai: gpt-4o}
          via-gemini:
            provider_map: {gem: gemini-2.5-flash}
        """)
            .env("GATEWAY_KEY_COOLDOWN_SEC", "0")
            .start();
    client =
        AnthropicOkHttpClient.builder()
            .apiKey("sk-client")
            .baseUrl(gw.url(""))
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    gw.close();
    anthropic.close();
    openai.close();
    gemini.close();
  }

  @BeforeEach
  void reset() {
    anthropic.reset();
    openai.reset();
    gemini.reset();
  }

  private static MessageCreateParams.Builder ask(String model, String text) {
    return MessageCreateParams.builder().model(model).maxTokens(256).addUserMessage(text);
  }

  private static Tool weatherTool() {
    return Tool.builder()
        .name("get_weather")
        .description("Current weather")
        .inputSchema(
            Tool.InputSchema.builder()
                .properties(
                    Tool.InputSchema.Properties.builder()
                        .putAdditionalProperty("location", JsonValue.from(Map.of("type", "string")))
                        .build())
                .required(List.of("location"))
                .build())
        .build();
  }

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  private static final String ANTHROPIC_MESSAGE =
      """
      {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5",\
      "content":[{"type":"text","text":"Hello from Claude"}],"stop_reason":"end_turn","stop_sequence":null,\
      "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":6}}""";

  @Test
  void anAnthropicUpstreamGetsTheBodyWithOnlyTheModelRewrittenItsOwnKeyAndTheSdksVersion()
      throws Exception {
    anthropic.script(r -> new FakeUpstream.Json(200, ANTHROPIC_MESSAGE, Map.of()));
    Message m = client.messages().create(ask("sonnet", "hi").build());
    assertEquals("Hello from Claude", m.content().get(0).asText().text());
    assertEquals(12, m.usage().inputTokens());
    FakeUpstream.Received r = anthropic.received().get(0);
    assertEquals("/v1/messages", r.path());
    assertEquals("sk-ant-upstream", r.header("x-api-key"));
    assertTrue(
        r.header("anthropic-version").matches("\\d{4}-\\d{2}-\\d{2}"),
        r.header("anthropic-version"));
    assertEquals(null, r.header("authorization"));
    JsonNode sent = json(r.body());
    assertEquals("claude-sonnet-4-5", sent.path("model").asText());
    assertEquals(256, sent.path("max_tokens").asInt());
    assertEquals("hi", sent.path("messages").path(0).path("content").asText());
  }

  @Test
  void theClientsVersionAndBetaHeadersReachAnAnthropicUpstream() {
    anthropic.script(r -> new FakeUpstream.Json(200, ANTHROPIC_MESSAGE, Map.of()));
    var resp =
        gw.post(
            "/v1/messages",
            "{\"model\":\"sonnet\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
            "anthropic-version",
            "2023-01-01",
            "anthropic-beta",
            "prompt-caching-2024-07-31",
            "x-api-key",
            "sk-client");
    assertEquals(200, resp.statusCode());
    assertEquals(ANTHROPIC_MESSAGE, resp.body());
    FakeUpstream.Received r = anthropic.received().get(0);
    assertEquals("2023-01-01", r.header("anthropic-version"));
    assertEquals("prompt-caching-2024-07-31", r.header("anthropic-beta"));
    assertEquals("sk-ant-upstream", r.header("x-api-key"));
  }

  @Test
  void withoutAClientVersionTheProviderDefaultVersionIsSent() {
    anthropic.script(r -> new FakeUpstream.Json(200, ANTHROPIC_MESSAGE, Map.of()));
    var resp =
        gw.post(
            "/v1/messages",
            "{\"model\":\"sonnet\",\"max_tokens\":5,\"messages\":[]}",
            "Authorization",
            "Bearer sk-client");
    assertEquals(200, resp.statusCode());
    assertEquals("2023-06-01", anthropic.received().get(0).header("anthropic-version"));
    assertEquals(null, anthropic.received().get(0).header("anthropic-beta"));
  }

  @Test
  void aDocumentedToolUseStreamFromAnAnthropicUpstreamIsRelayedByteForByte() {
    anthropic.script(r -> RecordedStreams.replay("anthropic-tool-use.sse"));
    var resp =
        gw.post(
            "/v1/messages",
            "{\"model\":\"sonnet\",\"max_tokens\":5,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}]}");
    assertEquals(200, resp.statusCode());
    assertEquals(RecordedStreams.text("anthropic-tool-use.sse"), resp.body());
    assertTrue(
        resp.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
  }

  @Test
  void theSdkAccumulatesAToolUseStreamFromAnAnthropicUpstream() {
    anthropic.script(r -> RecordedStreams.replay("anthropic-tool-use.sse"));
    Message m = accumulate(ask("sonnet", "weather in SF?").addTool(weatherTool()).build());
    assertEquals(StopReason.TOOL_USE, m.stopReason().orElseThrow());
    ToolUseBlock tool = m.content().get(1).asToolUse();
    assertEquals("toolu_01T1x1fJ34qAmk2tNTrN7Up6", tool.id());
    assertEquals(
        Map.of("location", "San Francisco, CA", "unit", "fahrenheit"),
        tool._input().convert(Map.class));
    assertEquals(89, m.usage().outputTokens());
  }

  private static Message accumulate(MessageCreateParams params) {
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
      stream.stream().forEach(acc::accumulate);
    }
    return acc.message();
  }

  @Test
  void anOpenAiUpstreamAnswersTheSdkThroughTranslation() throws Exception {
    openai.script(r -> FakeUpstream.ok("Hello from GPT"));
    Message m = client.messages().create(ask("via-openai", "hi").system("be brief").build());
    assertEquals("Hello from GPT", m.content().get(0).asText().text());
    assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow());
    assertEquals(3, m.usage().inputTokens());
    assertEquals(2, m.usage().outputTokens());
    FakeUpstream.Received r = openai.received().get(0);
    assertEquals("/v1/chat/completions", r.path());
    assertEquals("Bearer sk-oai-upstream", r.header("authorization"));
    assertEquals(null, r.header("anthropic-version"));
    assertEquals(
        json(
            """
        {"model":"gpt-4o","max_tokens":256,"messages":[{"role":"system","content":"be brief"},\
        {"role":"user","content":"hi"}]}"""),
        json(r.body()));
  }

  @Test
  void parallelToolCallsStreamedByAnOpenAiUpstreamArriveAsToolUseBlocksInOrder() throws Exception {
    openai.script(r -> RecordedStreams.replay("openai-parallel-tools.sse"));
    Message m =
        accumulate(ask("via-openai", "weather in SF and NY?").addTool(weatherTool()).build());
    assertEquals(StopReason.TOOL_USE, m.stopReason().orElseThrow());
    List<ToolUseBlock> tools =
        m.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse).toList();
    assertEquals(
        List.of("call_weather_sf", "call_weather_ny"),
        tools.stream().map(ToolUseBlock::id).toList());
    assertEquals(Map.of("location", "San Francisco, CA"), tools.get(0)._input().convert(Map.class));
    assertEquals(Map.of("location", "New York, NY"), tools.get(1)._input().convert(Map.class));
    assertEquals(40, m.usage().outputTokens());
    assertEquals(64, m.usage().cacheReadInputTokens().orElseThrow());
    JsonNode sent = json(openai.received().get(0).body());
    assertTrue(sent.path("stream").asBoolean());
    assertTrue(sent.path("stream_options").path("include_usage").asBoolean());
    assertEquals("get_weather", sent.path("tools").path(0).path("function").path("name").asText());
    assertEquals(
        "string",
        sent.path("tools")
            .path(0)
            .path("function")
            .path("parameters")
            .path("properties")
            .path("location")
            .path("type")
            .asText());
  }

  @Test
  void aToolUseRoundTripThroughAnOpenAiUpstreamKeepsTheCallId() throws Exception {
    openai.script(
        r ->
            new FakeUpstream.Json(
                200,
                """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,\
        "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc","type":"function",\
        "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},"finish_reason":"tool_calls"}],\
        "usage":{"prompt_tokens":20,"completion_tokens":10,"total_tokens":30}}""",
                Map.of()));
    MessageCreateParams first =
        ask("via-openai", "weather in Paris?").addTool(weatherTool()).build();
    Message m = client.messages().create(first);
    ToolUseBlock call = m.content().get(0).asToolUse();
    assertEquals("call_abc", call.id());
    assertEquals(Map.of("location", "Paris"), call._input().convert(Map.class));

    openai.script(r -> FakeUpstream.ok("It is sunny in Paris"));
    Message answer =
        client
            .messages()
            .create(
                first.toBuilder()
                    .addMessage(m)
                    .addUserMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofToolResult(
                                ToolResultBlockParam.builder()
                                    .toolUseId(call.id())
                                    .content("sunny, 24C")
                                    .build())))
                    .build());
    assertEquals("It is sunny in Paris", answer.content().get(0).asText().text());
    JsonNode sent = json(openai.received().get(1).body()).path("messages");
    assertEquals("assistant", sent.path(1).path("role").asText());
    assertEquals("call_abc", sent.path(1).path("tool_calls").path(0).path("id").asText());
    assertEquals(
        json("{\"location\":\"Paris\"}"),
        json(sent.path(1).path("tool_calls").path(0).path("function").path("arguments").asText()));
    assertEquals(
        json("{\"role\":\"tool\",\"tool_call_id\":\"call_abc\",\"content\":\"sunny, 24C\"}"),
        sent.path(2));
  }

  @Test
  void aGeminiUpstreamAnswersTheSdkWithAndWithoutStreaming() throws Exception {
    gemini.script(
        r ->
            r.path().contains(":streamGenerateContent")
                ? RecordedStreams.replay("gemini-function-call.sse")
                : new FakeUpstream.Json(
                    200,
                    """
            {"candidates":[{"content":{"parts":[{"text":"Bonjour"}],"role":"model"},"finishReason":"STOP","index":0}],\
            "usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":2,"totalTokenCount":9},\
            "modelVersion":"gemini-2.5-flash","responseId":"r1"}""",
                    Map.of()));
    Message m =
        client
            .messages()
            .create(ask("via-gemini", "say hello in French").system("be brief").build());
    assertEquals("Bonjour", m.content().get(0).asText().text());
    assertEquals(7, m.usage().inputTokens());
    FakeUpstream.Received r = gemini.received().get(0);
    assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", r.path());
    assertEquals("gem-upstream-key", r.header("x-goog-api-key"));
    assertEquals(
        json(
            """
        {"generationConfig":{"maxOutputTokens":256},"contents":[{"role":"user","parts":[{"text":"say hello in French"}]}],\
        "systemInstruction":{"parts":[{"text":"be brief"}]}}"""),
        json(r.body()));

    Message streamed =
        accumulate(ask("via-gemini", "weather in Paris?").addTool(weatherTool()).build());
    assertEquals(
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent", gemini.received().get(1).path());
    assertEquals("Let me check the weather.", streamed.content().get(0).asText().text());
    ToolUseBlock call = streamed.content().get(1).asToolUse();
    assertEquals("get_weather", call.name());
    assertEquals(Map.of("location", "Paris"), call._input().convert(Map.class));
    assertEquals(StopReason.TOOL_USE, streamed.stopReason().orElseThrow());
    assertEquals(12, streamed.usage().outputTokens());
  }

  @Test
  void anUnknownModelIsABadRequestInAnthropicShape() {
    var e =
        assertThrows(
            BadRequestException.class, () -> client.messages().create(ask("nope", "x").build()));
    assertTrue(e.getMessage().contains("unsupported model: nope"), e.getMessage());
    var resp = gw.post("/v1/messages", "{\"model\":\"nope\",\"max_tokens\":1,\"messages\":[]}");
    assertEquals(400, resp.statusCode());
    assertEquals(
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"unsupported model: nope\"}}",
        resp.body());
  }

  @Test
  void aFieldTheUpstreamCannotExpressIsABadRequestNamingIt() {
    var e =
        assertThrows(
            BadRequestException.class,
            () ->
                client
                    .messages()
                    .create(
                        ask("via-openai", "x")
                            .putAdditionalBodyProperty("top_k", JsonValue.from(5))
                            .build()));
    assertTrue(
        e.getMessage()
            .contains("field top_k cannot be expressed in the OpenAI chat completions API"),
        e.getMessage());
    assertEquals(0, openai.calls());
  }

  @Test
  void upstreamErrorsReachTheSdkInAnthropicShapeWithTheirStatus() {
    openai.script(
        r ->
            FakeUpstream.status(
                429,
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                    + "\"code\":\"rate_limit_exceeded\"}}"));
    var e =
        assertThrows(
            RateLimitException.class,
            () -> client.messages().create(ask("via-openai", "x").build()));
    assertTrue(e.getMessage().contains("Rate limit reached"), e.getMessage());
    var resp =
        gw.post("/v1/messages", "{\"model\":\"via-openai\",\"max_tokens\":1,\"messages\":[]}");
    assertEquals(429, resp.statusCode());
    assertEquals(
        "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":"
            + "\"Rate limit reached (rate_limit_exceeded)\"}}",
        resp.body());
  }

  @Test
  void anOverloadedAnthropicUpstreamIsAServerErrorForTheSdk() {
    anthropic.script(
        r ->
            FakeUpstream.status(
                529,
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
    var e =
        assertThrows(
            AnthropicServiceException.class,
            () -> client.messages().create(ask("sonnet", "x").build()));
    assertEquals(529, e.statusCode());
    assertTrue(e.getMessage().contains("Overloaded"), e.getMessage());
  }

  @Test
  void countTokensIsForwardedToAnAnthropicUpstreamAndIsNotFoundElsewhere() {
    anthropic.script(r -> new FakeUpstream.Json(200, "{\"input_tokens\":14}", Map.of()));
    long n =
        client
            .messages()
            .countTokens(
                MessageCountTokensParams.builder().model("sonnet").addUserMessage("hi").build())
            .inputTokens();
    assertEquals(14, n);
    assertEquals("/v1/messages/count_tokens", anthropic.received().get(0).path());
    assertEquals(
        "claude-sonnet-4-5",
        anthropic.received().get(0).body().replaceAll(".*\"model\":\"([^\"]+)\".*", "$1"));
    assertThrows(
        NotFoundException.class,
        () ->
            client
                .messages()
                .countTokens(
                    MessageCountTokensParams.builder()
                        .model("via-openai")
                        .addUserMessage("hi")
                        .build()));
  }

  @Test
  void anUpstreamCutMidStreamEndsTheClientsStreamWithAnErrorEvent() {
    openai.script(
        r ->
            new FakeUpstream.Sse(
                List.of(
                    "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"},\"finish_reason\":null}]}",
                    "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" more\"},\"finish_reason\":null}]}"),
                0,
                1,
                false));
    var resp =
        gw.post(
            "/v1/messages",
            "{\"model\":\"via-openai\",\"max_tokens\":5,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertEquals(200, resp.statusCode());
    assertTrue(resp.body().contains("\"text\":\"partial\""), resp.body());
    assertTrue(
        resp.body()
                .endsWith(
                    "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                        + "\"message\":\"upstream stream ended without message_stop\"}}\n\n")
            || resp.body()
                .contains(
                    "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream stream interrupted"),
        resp.body());
    var e = assertThrows(RuntimeException.class, () -> accumulate(ask("via-openai", "x").build()));
    assertTrue(e.getMessage().contains("upstream stream"), e.getMessage());
  }
}
