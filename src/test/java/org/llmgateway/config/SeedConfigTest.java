package org.llmgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original project's example files (copied verbatim into {@code
 * src/test/resources/seed-configs/}) load unchanged once copied to {@code *.yaml}, with the
 * original's defaults.
 */
class SeedConfigTest {
  @TempDir Path dir;
  private GatewayConfig config;

  @BeforeEach
  void copySeedFilesAsYaml() throws IOException, URISyntaxException {
    Path seeds =
        Path.of(SeedConfigTest.class.getResource("/seed-configs/gateway_keys.yaml").toURI())
            .getParent();
    try (Stream<Path> files = Files.list(seeds)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString().replace(".yaml.example", ".yaml");
        Files.copy(f, dir.resolve(name));
      }
    }
    config = new ConfigLoader(Map.<String, String>of()::get).loadDirectory(dir);
  }

  @Test
  void seedFilesLoadWithEveryModelProviderAndGatewayKey() {
    assertEquals(
        Set.of("chatgpt3.5", "gpt4o-mini", "gemini-3-flash-preview"), config.models().keySet());
    assertEquals(
        Set.of("openai", "openrouter", "primary-provider", "gemini"), config.providers().keySet());
    assertEquals(
        List.of("user-1", "user-2"), config.gatewayKeys().stream().map(GatewayKey::keyId).toList());
    assertEquals(3, config.sources().size());
  }

  @Test
  void aliasesProviderMapAndPolicyAreKeptInFileOrder() {
    Model gpt35 = config.models().get("chatgpt3.5");
    assertEquals(List.of("chatgpt3.5", "gpt-3.5-turbo", "openai/chatgpt3.5"), gpt35.aliases());
    assertEquals(
        List.of("openai", "openrouter", "gemini", "primary-provider"),
        List.copyOf(gpt35.providerMap().keySet()));
    assertEquals("openai/gpt-3.5-turbo", gpt35.providerMap().get("primary-provider"));
    assertEquals(
        Optional.of(Set.of("primary-provider", "openai", "openrouter")), gpt35.allowProviders());
    assertEquals(List.of("primary-provider"), gpt35.defaultProviders());
    assertFalse(gpt35.allows("gemini"), "gemini is mapped but not in allow_providers");
    assertTrue(gpt35.allows("openai"));

    Model mini = config.models().get("gpt4o-mini");
    assertEquals(Optional.empty(), mini.allowProviders());
    assertEquals(List.of(), mini.defaultProviders());
    assertTrue(mini.allows("openrouter"));
  }

  @Test
  void modelsAreFoundByAlias() {
    assertEquals("chatgpt3.5", config.model("gpt-3.5-turbo").orElseThrow().name());
    assertEquals(
        "gemini-3-flash-preview",
        config.model("google/gemini-3-flash-preview").orElseThrow().name());
    assertEquals(Optional.empty(), config.model("gpt-5"));
  }

  @Test
  void providersGetTheOriginalDefaults() {
    Provider openai = config.providers().get("openai");
    assertEquals(ProviderType.OPENAI_COMPAT, openai.type());
    assertEquals(Optional.of(URI.create("https://api.openai.com")), openai.baseUrl());
    assertEquals(
        URI.create("https://api.openai.com/v1/embeddings"), openai.url(Operation.EMBEDDINGS));
    assertEquals(new Auth("bearer", "Authorization", "Bearer "), openai.auth());
    assertEquals(5, openai.weight());
    assertEquals(Duration.ofMillis(60_000), openai.timeout());
    assertEquals("sk-your-api-key-here", openai.keys().getFirst().value().reveal());

    Provider openrouter = config.providers().get("openrouter");
    assertEquals(Duration.ofMillis(90_000), openrouter.timeout());
    assertTrue(openrouter.sslVerify(), "ssl_verify defaults to true");
    assertEquals(
        Map.of("HTTP-Referer", "https://your.app", "X-Title", "llm-gateway-lite"),
        openrouter.headers());
    assertEquals(Set.of(Operation.CHAT_COMPLETIONS), openrouter.endpoints().keySet());
  }

  @Test
  void aProviderWithoutWeightTimeoutOrAuthGetsWeightOneSixtySecondsAndBearerAuthorization(
      @TempDir Path other) {
    GatewayConfig minimal =
        new ConfigDir(other)
            .write(
                "p.yaml",
                """
        providers:
          bare:
            base_url: "http://127.0.0.1:9"
            keys: [{id: k, value: v}]
        models:
          m:
            provider_map: {bare: up}
        """)
            .load();
    Provider bare = minimal.providers().get("bare");
    assertEquals(1, bare.weight());
    assertEquals(Duration.ofMillis(60_000), bare.timeout());
    assertTrue(bare.sslVerify());
    assertEquals("Authorization", bare.auth().header());
    assertEquals("Bearer ", bare.auth().prefix());
    assertEquals(Set.of(Operation.CHAT_COMPLETIONS), bare.endpoints().keySet());
  }

  @Test
  void noToStringShowsAKeyValue() {
    List<String> texts =
        List.of(
            config.toString(),
            config.providers().get("openai").toString(),
            config.providers().get("openai").keys().getFirst().toString(),
            config.gatewayKeys().getFirst().toString());
    for (String text : texts) {
      for (String secret :
          List.of(
              "sk-your-api-key-here",
              "sk-or-v1-your-key-here",
              "your-gemini-api-key",
              "sk-gateway-demo-key-1",
              "sk-gateway-demo-key-2")) {
        assertFalse(text.contains(secret), () -> "leaks " + secret + ": " + text);
      }
    }
    assertTrue(texts.get(2).contains("openai-key-1"), "key ids stay visible");
    assertTrue(texts.get(3).contains("user-1"));
  }
}
