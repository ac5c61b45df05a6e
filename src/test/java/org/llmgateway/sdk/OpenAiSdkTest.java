package org.llmgateway.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.GatewayUnderTest;

/** The official OpenAI Java SDK, unchanged, against the gateway and its built-in mock provider. */
class OpenAiSdkTest {
  private static GatewayUnderTest gw;
  private static OpenAIClient client;

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
            mock: {delay_ms: 5, embedding_dimensions: 8}
        """)
            .file(
                "models.yaml",
                """
        version: 1
        models:
          demo:
            aliases: [demo-chat]
            provider_map: {mock: mock-echo-1}
          other:
            provider_map: {mock: mock-echo-2}
        """)
            .start();
    client =
        OpenAIOkHttpClient.builder()
            .apiKey("sk-anything")
            .baseUrl(gw.url("/v1"))
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    gw.close();
  }

  private static ChatCompletionCreateParams.Builder chat(String text) {
    return ChatCompletionCreateParams.builder().model("demo-chat").addUserMessage(text);
  }

  @Test
  void chatCompletionsWork() {
    ChatCompletion c = client.chat().completions().create(chat("hello from the sdk").build());
    assertEquals("hello from the sdk", c.choices().get(0).message().content().orElseThrow());
    assertEquals("mock-echo-1", c.model());
    assertTrue(c.usage().orElseThrow().totalTokens() > 0);
  }

  @Test
  void streamingDeliversEveryWordThenUsage() {
    StringBuilder text = new StringBuilder();
    long[] usage = {-1};
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                chat("one two three four")
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      stream.stream()
          .forEach(
              chunk -> {
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
                chunk.usage().ifPresent(u -> usage[0] = u.completionTokens());
              });
    }
    assertEquals("one two three four", text.toString());
    assertEquals(4, usage[0]);
  }

  @Test
  void embeddingsWork() {
    CreateEmbeddingResponse e =
        client
            .embeddings()
            .create(
                EmbeddingCreateParams.builder()
                    .model("demo")
                    .inputOfArrayOfStrings(List.of("a", "b"))
                    .build());
    assertEquals(2, e.data().size());
    List<Float> v = e.data().get(0).embedding();
    assertEquals(8, v.size());
    double norm = Math.sqrt(v.stream().mapToDouble(f -> f * f).sum());
    assertEquals(1.0, norm, 1e-4);
  }

  @Test
  void modelsCanBeListedAndRetrieved() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();
    assertEquals(List.of("demo", "other"), ids);
    assertEquals("demo", client.models().retrieve("demo-chat").id());
  }

  @Test
  void gatewayErrorsSurfaceAsSdkErrors() {
    var e =
        Assertions.assertThrows(
            BadRequestException.class,
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("nope")
                            .addUserMessage("x")
                            .build()));
    assertTrue(e.getMessage().contains("unsupported model: nope"), e.getMessage());
  }
}
