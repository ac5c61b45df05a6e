package org.llmgateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;

/**
 * upstream.log shows what went to the provider: for a chat completion served by a native Anthropic
 * provider, the Messages body the gateway sent, not the client's chat body.
 */
class TranslatedAttemptLogTest {
  private static final Path LOG_DIR = Path.of(System.getProperty("gateway.log.dir", "logs"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeUpstream anthropic;
  private GatewayUnderTest gw;

  @BeforeEach
  void start() {
    anthropic = new FakeUpstream();
    anthropic.script(
        r ->
            new FakeUpstream.Json(
                200,
                """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",\
                "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn",\
                "stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}""",
                Map.of()));
    gw =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                """
                version: 1
                providers:
                  claude:
                    type: anthropic
                    base_url: "%s"
                    keys: [{id: c1, value: "sk-ant-upstream"}]
                    request_defaults: {max_tokens: 321}
                models:
                  claude:
                    provider_map: {claude: claude-sonnet-4-5}
                """
                    .formatted(anthropic.baseUrl()))
            .start();
  }

  @AfterEach
  void stop() {
    gw.close();
    anthropic.close();
  }

  @Test
  void theUpstreamLogShowsTheTranslatedBodyThatWentToTheProvider() {
    String requestId = "translated-" + UUID.randomUUID();
    assertEquals(
        200,
        gw.post(
                "/v1/chat/completions",
                "{\"model\":\"claude\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                    + "{\"role\":\"user\",\"content\":\"hi\"}]}",
                "X-Request-Id",
                requestId)
            .statusCode());
    Await.until(
        Duration.ofSeconds(5),
        "the attempt's line in upstream.log",
        () -> upstreamLine(requestId).isPresent());
    String logged = upstreamLine(requestId).orElseThrow().at("/request/body").asText();
    JsonNode body = read(logged);
    assertEquals("claude-sonnet-4-5", body.get("model").asText(), logged);
    assertEquals(321, body.get("max_tokens").asInt(), logged);
    assertTrue(body.get("system").toString().contains("be brief"), logged);
    assertFalse(body.get("messages").toString().contains("\"system\""), logged);
    assertEquals(
        logged,
        anthropic.received().get(0).body(),
        "the log shows exactly what the provider received");
  }

  private static Optional<JsonNode> upstreamLine(String requestId) {
    Path file = LOG_DIR.resolve("upstream.log");
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      for (String line : Files.readAllLines(file)) {
        if (line.contains("\"request_id\":\"" + requestId + "\"")) {
          return Optional.of(read(line));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
