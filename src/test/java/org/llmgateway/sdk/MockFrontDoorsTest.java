package org.llmgateway.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.GatewayUnderTest;

/**
 * The built-in mock answers every front door offline: Responses streaming, base64 embeddings,
 * Anthropic Messages.
 */
class MockFrontDoorsTest {
  private static GatewayUnderTest gw;
  private static OpenAIClient openai;
  private static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    gw =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                """
        version: 1
        providers:
          mock:
            type: mock
            mock: {delay_ms: 1, embedding_dimensions: 8}
        """)
            .file(
                "models.yaml",
                """
        version: 1
        models:
          demo:
            provider_map: {mock: mock-echo-1}
        """)
            .start();
    openai =
        OpenAIOkHttpClient.builder()
            .apiKey("sk-anything")
            .baseUrl(gw.url("/v1"))
            .maxRetries(0)
            .build();
    anthropic =
        AnthropicOkHttpClient.builder()
            .apiKey("sk-anything")
            .baseUrl(gw.url(""))
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    openai.close();
    anthropic.close();
    gw.close();
  }

  @Test
  void theResponsesApiStreamsCreatedThenTextDeltasThenCompletedWithUsage() {
    List<String> types = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    long[] outputTokens = {-1};
    try (var stream =
        openai
            .responses()
            .createStreaming(
                ResponseCreateParams.builder().model("demo").input("stream three words").build())) {
      stream.stream()
          .forEach(
              (ResponseStreamEvent e) -> {
                if (e.isCreated()) {
                  types.add("created");
                } else if (e.isOutputTextDelta()) {
                  types.add("delta");
                  text.append(e.asOutputTextDelta().delta());
                } else if (e.isCompleted()) {
                  types.add("completed");
                  outputTokens[0] = e.asCompleted().response().usage().orElseThrow().outputTokens();
                }
              });
    }
    assertEquals(List.of("created", "delta", "delta", "delta", "completed"), types);
    assertEquals("stream three words", text.toString());
    assertEquals(3, outputTokens[0]);
  }

  @Test
  void embeddingsHonourBase64Encoding() {
    CreateEmbeddingResponse floats =
        openai
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("demo")
                    .input("same text")
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .build());
    var resp =
        gw.post(
            "/v1/embeddings",
            "{\"model\":\"demo\",\"input\":\"same text\",\"encoding_format\":\"base64\"}");
    assertEquals(200, resp.statusCode());
    String b64 = resp.body().replaceAll("(?s).*\"embedding\":\"([^\"]+)\".*", "$1");
    ByteBuffer bytes =
        ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
    List<Float> expected = floats.data().get(0).embedding();
    assertEquals(8 * Float.BYTES, bytes.remaining());
    for (Float f : expected) {
      assertEquals(f, bytes.getFloat(), 1e-6);
    }
    CreateEmbeddingResponse viaSdk =
        openai
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("demo")
                    .input("same text")
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64)
                    .build());
    assertEquals(expected, viaSdk.data().get(0).embedding());
  }

  @Test
  void anthropicMessagesAreAnsweredByTheMockWithAndWithoutStreaming() {
    Message m =
        anthropic
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model("demo")
                    .maxTokens(50)
                    .addUserMessage("echo me back")
                    .build());
    assertEquals("echo me back", m.content().get(0).asText().text());
    assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow());
    assertEquals("mock-echo-1", m.model().asString());
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s =
        anthropic
            .messages()
            .createStreaming(
                MessageCreateParams.builder()
                    .model("demo")
                    .maxTokens(50)
                    .addUserMessage("one two three")
                    .build())) {
      s.stream().forEach(acc::accumulate);
    }
    assertEquals("one two three", acc.message().content().get(0).asText().text());
    assertEquals(3, acc.message().usage().outputTokens());
    assertTrue(acc.message().usage().inputTokens() > 0);
  }
}
