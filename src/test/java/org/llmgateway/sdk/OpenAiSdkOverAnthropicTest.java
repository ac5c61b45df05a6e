package org.llmgateway.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.util.ArrayList;
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
 * The official OpenAI Java SDK, unchanged, against chat completions served by a native Anthropic
 * upstream.
 */
class OpenAiSdkOverAnthropicTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeUpstream anthropic;
  private static GatewayUnderTest gw;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    anthropic = new FakeUpstream();
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
            request_defaults: {max_tokens: 1000}
        """
                    .formatted(anthropic.baseUrl()))
            .file(
                "models.yaml",
                """
        version: 1
        models:
          claude:
            provider_map: {claude: claude-sonnet-4-5}
        """)
            .env("GATEWAY_KEY_COOLDOWN_SEC", "0")
            .start();
    client =
        OpenAIOkHttpClient.builder()
            .apiKey("sk-client")
            .baseUrl(gw.url("/v1"))
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    gw.close();
    anthropic.close();
  }

  @BeforeEach
  void reset() {
    anthropic.reset();
  }

  private static FunctionDefinition weather() {
    return FunctionDefinition.builder()
        .name("get_weather")
        .description("Current weather")
        .parameters(
            FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty(
                    "properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                .build())
        .build();
  }

  @Test
  void aChatCompletionIsAnsweredByAnAnthropicUpstream() throws Exception {
    anthropic.script(
        r ->
            new FakeUpstream.Json(
                200,
                """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",\
        "content":[{"type":"thinking","thinking":"Simple greeting.","signature":"sig"},{"type":"text","text":"Hi there"}],\
        "stop_reason":"max_tokens","stop_sequence":null,\
        "usage":{"input_tokens":10,"cache_creation_input_tokens":5,"cache_read_input_tokens":20,"output_tokens":7}}""",
                Map.of()));
    ChatCompletion c =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("claude")
                    .addSystemMessage("be kind")
                    .addUserMessage("hello")
                    .temperature(0.5)
                    .stop("END")
                    .build());
    ChatCompletionMessage msg = c.choices().get(0).message();
    assertEquals("Hi there", msg.content().orElseThrow());
    assertEquals(ChatCompletion.Choice.FinishReason.LENGTH, c.choices().get(0).finishReason());
    assertEquals(35, c.usage().orElseThrow().promptTokens());
    assertEquals(
        20,
        c.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens().orElseThrow());
    assertEquals(7, c.usage().orElseThrow().completionTokens());
    FakeUpstream.Received r = anthropic.received().get(0);
    assertEquals("/v1/messages", r.path());
    assertEquals("sk-ant-upstream", r.header("x-api-key"));
    assertEquals("2023-06-01", r.header("anthropic-version"));
    assertEquals(
        JSON.readTree(
            """
        {"model":"claude-sonnet-4-5","temperature":0.5,"stop_sequences":["END"],"messages":[{"role":"user","content":"hello"}],\
        "system":[{"type":"text","text":"be kind"}],"max_tokens":1000}"""),
        JSON.readTree(r.body()));
    // the SDK keeps reasoning_content only as an untyped extra field: read it from the wire
    var raw =
        gw.post(
            "/v1/chat/completions",
            "{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertEquals(
        "Simple greeting.",
        JSON.readTree(raw.body())
            .path("choices")
            .path(0)
            .path("message")
            .path("reasoning_content")
            .asText());
  }

  @Test
  void aDocumentedToolUseStreamBecomesToolCallDeltasInOrder() throws Exception {
    anthropic.script(r -> RecordedStreams.replay("anthropic-tool-use.sse"));
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    List<String> argumentDeltas = new ArrayList<>();
    long[] usage = {-1};
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("claude")
                    .addUserMessage("weather in SF?")
                    .addFunctionTool(weather())
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      stream.stream()
          .forEach(
              chunk -> {
                acc.accumulate(chunk);
                chunk
                    .choices()
                    .forEach(
                        ch ->
                            ch.delta()
                                .toolCalls()
                                .ifPresent(
                                    calls ->
                                        calls.forEach(
                                            call ->
                                                call.function()
                                                    .flatMap(f -> f.arguments())
                                                    .filter(a -> !a.isEmpty())
                                                    .ifPresent(argumentDeltas::add))));
                chunk.usage().ifPresent(u -> usage[0] = u.totalTokens());
              });
    }
    ChatCompletion c = acc.chatCompletion();
    ChatCompletionMessage msg = c.choices().get(0).message();
    assertEquals(
        "Okay, let's check the weather for San Francisco, CA:", msg.content().orElseThrow());
    ChatCompletionMessageFunctionToolCall call = msg.toolCalls().orElseThrow().get(0).asFunction();
    assertEquals("toolu_01T1x1fJ34qAmk2tNTrN7Up6", call.id());
    assertEquals("get_weather", call.function().name());
    assertEquals(
        JSON.readTree("{\"location\":\"San Francisco, CA\",\"unit\":\"fahrenheit\"}"),
        JSON.readTree(call.function().arguments()));
    assertEquals(
        List.of(
            "{\"location\":",
            " \"San",
            " Francisc",
            "o,",
            " CA\"",
            ", ",
            "\"unit\": \"fah",
            "renheit\"}"),
        argumentDeltas);
    assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, c.choices().get(0).finishReason());
    assertEquals(472 + 89, usage[0]);
    JsonNode sent = JSON.readTree(anthropic.received().get(0).body());
    assertTrue(sent.path("stream").asBoolean());
    assertEquals(
        JSON.readTree(
            "{\"name\":\"get_weather\",\"description\":\"Current weather\",\"input_schema\":"
                + "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}}}}"),
        sent.path("tools").path(0));
  }

  @Test
  void aThinkingStreamSurfacesAsReasoningContent() {
    anthropic.script(r -> RecordedStreams.replay("anthropic-thinking.sse"));
    var resp =
        gw.post(
            "/v1/chat/completions",
            "{\"model\":\"claude\",\"stream\":true,\"reasoning_effort\":\"low\","
                + "\"max_tokens\":5000,\"messages\":[{\"role\":\"user\",\"content\":\"gcd(1071, 462)?\"}]}");
    assertEquals(200, resp.statusCode());
    String body = resp.body();
    int reasoning = body.indexOf("\"reasoning_content\":\"I need to find the GCD");
    int text = body.indexOf("\"content\":\"The greatest common divisor");
    assertTrue(reasoning > 0 && text > reasoning, body);
    assertTrue(
        body.contains(
            "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":56,\"completion_tokens\":84"),
        body);
    assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    assertTrue(
        anthropic
            .received()
            .get(0)
            .body()
            .contains("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}"),
        anthropic.received().get(0).body());
  }

  @Test
  void aToolCallRoundTripReachesAnthropicAsToolUseAndToolResult() throws Exception {
    anthropic.script(
        r ->
            new FakeUpstream.Json(
                200,
                """
        {"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[\
        {"type":"tool_use","id":"toolu_A","name":"get_weather","input":{"location":"Paris"}},\
        {"type":"tool_use","id":"toolu_B","name":"get_weather","input":{"location":"Rome"}}],\
        "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":20}}""",
                Map.of()));
    ChatCompletionCreateParams first =
        ChatCompletionCreateParams.builder()
            .model("claude")
            .addUserMessage("weather in Paris and Rome?")
            .addFunctionTool(weather())
            .build();
    ChatCompletion c = client.chat().completions().create(first);
    ChatCompletionMessage msg = c.choices().get(0).message();
    assertEquals(
        List.of("toolu_A", "toolu_B"),
        msg.toolCalls().orElseThrow().stream().map(t -> t.asFunction().id()).toList());

    anthropic.script(
        r ->
            new FakeUpstream.Json(
                200,
                """
        {"id":"msg_3","type":"message","role":"assistant","model":"claude-sonnet-4-5",\
        "content":[{"type":"text","text":"Sunny in both"}],"stop_reason":"end_turn","stop_sequence":null,\
        "usage":{"input_tokens":60,"output_tokens":5}}""",
                Map.of()));
    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                first.toBuilder()
                    .addMessage(msg)
                    .addMessage(
                        ChatCompletionToolMessageParam.builder()
                            .toolCallId("toolu_A")
                            .content("sunny")
                            .build())
                    .addMessage(
                        ChatCompletionToolMessageParam.builder()
                            .toolCallId("toolu_B")
                            .content("sunny too")
                            .build())
                    .build());
    assertEquals("Sunny in both", answer.choices().get(0).message().content().orElseThrow());
    JsonNode messages = JSON.readTree(anthropic.received().get(1).body()).path("messages");
    assertEquals(
        JSON.readTree(
            """
        [{"role":"user","content":"weather in Paris and Rome?"},
         {"role":"assistant","content":[{"type":"tool_use","id":"toolu_A","name":"get_weather","input":{"location":"Paris"}},
                                        {"type":"tool_use","id":"toolu_B","name":"get_weather","input":{"location":"Rome"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_A","content":"sunny"},
                                   {"type":"tool_result","tool_use_id":"toolu_B","content":"sunny too"}]}]"""),
        messages);
  }

  @Test
  void anthropicErrorsReachTheSdkInOpenAiShape() {
    anthropic.script(
        r ->
            FakeUpstream.status(
                429,
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}"));
    var e =
        assertThrows(
            RateLimitException.class,
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("claude")
                            .addUserMessage("x")
                            .build()));
    assertTrue(e.getMessage().contains("per-minute rate limit"), e.getMessage());
    var resp =
        gw.post(
            "/v1/chat/completions",
            "{\"model\":\"claude\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertEquals(
        "{\"error\":{\"message\":\"Number of request tokens has exceeded your per-minute rate limit\","
            + "\"type\":\"rate_limit_error\",\"code\":null}}",
        resp.body());
  }

  @Test
  void anErrorEventInTheMiddleOfAnAnthropicStreamReachesTheClientAsAnErrorChunk() {
    anthropic.script(
        r ->
            new FakeUpstream.RawSse(
                List.of(
                    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_e\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n",
                    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Par\"}}\n\n",
                    "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"),
                0));
    var resp =
        gw.post(
            "/v1/chat/completions",
            "{\"model\":\"claude\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertEquals(200, resp.statusCode());
    String body = resp.body();
    int text = body.indexOf("\"delta\":{\"content\":\"Par\"}");
    int error =
        body.indexOf("data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\"");
    assertTrue(text > 0 && error > text, body);
    assertTrue(!body.contains("[DONE]"), body);
  }

  @Test
  void aTemperatureAboveAnthropicsRangeIsABadRequestNamingIt() {
    var e =
        assertThrows(
            BadRequestException.class,
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("claude")
                            .addUserMessage("x")
                            .temperature(1.5)
                            .build()));
    assertTrue(
        e.getMessage()
            .contains("field temperature cannot be expressed in the Anthropic Messages API"),
        e.getMessage());
    assertEquals(0, anthropic.calls());
  }
}
