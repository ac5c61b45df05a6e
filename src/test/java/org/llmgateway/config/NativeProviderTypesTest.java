package org.llmgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code type: anthropic} and {@code type: gemini}: their defaults, which operations they serve,
 * and their URLs.
 */
class NativeProviderTypesTest {
  @TempDir Path dir;

  private GatewayConfig load(String providers) {
    return new ConfigDir(dir)
        .write("a-providers.yaml", providers)
        .write(
            "b-models.yaml",
            """
        models:
          m:
            provider_map: {p: some-model}
        """)
        .load();
  }

  @Test
  void anAnthropicProviderNeedsOnlyAKey() {
    Provider p =
        load("""
        providers:
          p:
            type: anthropic
            keys: [{id: k, value: sk-ant}]
        """)
            .providers()
            .get("p");
    assertEquals(
        URI.create("https://api.anthropic.com/v1/messages"), p.url(Operation.MESSAGES, "claude-x"));
    assertEquals(
        URI.create("https://api.anthropic.com/v1/messages/count_tokens"),
        p.url(Operation.COUNT_TOKENS, "c"));
    assertEquals(new Auth("header", "x-api-key", ""), p.auth());
    assertEquals(Map.of("anthropic-version", "2023-06-01"), p.headers());
    assertTrue(
        p.serves(Operation.MESSAGES)
            && p.serves(Operation.CHAT_COMPLETIONS)
            && p.serves(Operation.COUNT_TOKENS));
    assertFalse(p.serves(Operation.EMBEDDINGS));
    assertEquals(Operation.MESSAGES, p.target(Operation.CHAT_COMPLETIONS, true));
    assertEquals(Operation.MESSAGES, p.target(Operation.MESSAGES, false));
  }

  @Test
  void aConfiguredAnthropicVersionWinsOverTheDefault() {
    Provider p =
        load("""
        providers:
          p:
            type: anthropic
            base_url: "https://proxy.example.com/anthropic/"
            headers: {Anthropic-Version: "2024-01-01", X-Team: a}
            keys: [{id: k, value: sk-ant}]
        """)
            .providers()
            .get("p");
    assertEquals(Map.of("Anthropic-Version", "2024-01-01", "X-Team", "a"), p.headers());
    assertEquals(
        URI.create("https://proxy.example.com/anthropic/v1/messages"),
        p.url(Operation.MESSAGES, "c"));
  }

  @Test
  void aGeminiProviderPutsTheModelInThePathAndStreamsWithAltSse() {
    Provider p =
        load("""
        providers:
          p:
            type: gemini
            keys: [{id: k, value: gem}]
        """)
            .providers()
            .get("p");
    assertEquals(new Auth("header", "x-goog-api-key", ""), p.auth());
    assertEquals(Operation.GENERATE_CONTENT, p.target(Operation.MESSAGES, false));
    assertEquals(Operation.STREAM_GENERATE_CONTENT, p.target(Operation.CHAT_COMPLETIONS, true));
    assertEquals(
        URI.create(
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"),
        p.url(Operation.GENERATE_CONTENT, "gemini-2.5-flash"));
    assertEquals(
        URI.create(
            "https://generativelanguage.googleapis.com/v1beta/models/tuned%20model:streamGenerateContent?alt=sse"),
        p.url(Operation.STREAM_GENERATE_CONTENT, "tuned model"));
    assertFalse(p.serves(Operation.COUNT_TOKENS));
  }

  @Test
  void anOpenAiCompatibleProviderWithAMessagesEndpointServesMessagesUntranslated() {
    Provider p =
        load("""
        providers:
          p:
            base_url: "https://api.example.com"
            endpoints: {chat_completions: /v1/chat/completions, messages: /anthropic/v1/messages}
            keys: [{id: k, value: sk}]
        """)
            .providers()
            .get("p");
    assertEquals(Operation.MESSAGES, p.target(Operation.MESSAGES, true));
    assertEquals(Operation.CHAT_COMPLETIONS, p.target(Operation.CHAT_COMPLETIONS, true));
  }

  @Test
  void badNativeSettingsAreReportedWithTheirPaths() {
    List<String> errors =
        new ConfigDir(dir)
                .write(
                    "a-providers.yaml",
                    """
        providers:
          p:
            type: gemini
            endpoints: {generate_content: "/v1/models/{model}:generateContent"}
            keys: [{id: k, value: gem}]
          q:
            type: antropic
            keys: [{id: k, value: x}]
        """)
                .write(
                    "b-models.yaml",
                    """
        models:
          m:
            provider_map: {p: x}
        """)
                .errors()
                .stream()
                .map(e -> e.substring(e.indexOf(": ") + 2))
                .toList();
    assertTrue(
        errors.contains(
            "providers.p.endpoints: generate_content and stream_generate_content go together: "
                + "set both or neither"),
        errors.toString());
    assertTrue(
        errors.contains(
            "providers.q.type: unknown provider type \"antropic\"; known: openai_compat, anthropic, "
                + "gemini, mock"),
        errors.toString());
  }
}
