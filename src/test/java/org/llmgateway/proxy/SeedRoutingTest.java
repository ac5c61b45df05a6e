package org.llmgateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;

/**
 * The original's example configuration, unchanged but for base URLs pointed at fake upstreams,
 * routes as documented.
 */
class SeedRoutingTest {
  private final FakeUpstream openai = new FakeUpstream();
  private final FakeUpstream openrouter = new FakeUpstream();
  private GatewayUnderTest gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    openai.close();
    openrouter.close();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = SeedRoutingTest.class.getResourceAsStream("/seed-configs/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void start() throws IOException {
    // primary-provider and openrouter share the OpenRouter base URL in the seed; both point at one
    // fake here
    String providers =
        resource("providers.yaml.example")
            .replace("https://api.openai.com", openai.baseUrl())
            .replace("https://openrouter.ai", openrouter.baseUrl());
    gw =
        GatewayUnderTest.builder()
            .file("providers.yaml", providers)
            .file("models.yaml", resource("models.yaml.example"))
            .file("gateway_keys.yaml", resource("gateway_keys.yaml"))
            .env("GATEWAY_EXPOSE_SELECTION", "true")
            .start();
  }

  @Test
  void theDefaultProviderOfTheSeedTakesEveryRequest() throws IOException {
    start();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r =
          gw.post("/v1/chat/completions", "{\"model\":\"gpt-3.5-turbo\",\"messages\":[]}");
      assertEquals(200, r.statusCode());
      assertEquals("primary-provider", r.headers().firstValue("X-Selected-Provider").orElseThrow());
      assertEquals(
          "primary-provider-key-1", r.headers().firstValue("X-Selected-Key-Id").orElseThrow());
    }
    assertTrue(
        openrouter.received().stream()
            .allMatch(
                x ->
                    x.path().equals("/api/v1/chat/completions")
                        && x.body().contains("\"model\":\"openai/gpt-3.5-turbo\"")
                        && "llm-gateway-lite".equals(x.header("X-Title"))
                        && "Bearer sk-or-v1-your-key-here".equals(x.header("Authorization"))));
    assertEquals(0, openai.calls());
  }

  @Test
  void whenTheDefaultFailsTheOtherAllowedProvidersServeButNeverTheOneOutsideAllowProviders()
      throws IOException {
    start();
    openrouter.script(r -> FakeUpstream.status(500, "{\"error\":\"down\"}"));
    HttpResponse<String> r =
        gw.post("/v1/chat/completions", "{\"model\":\"chatgpt3.5\",\"messages\":[]}");
    assertEquals(200, r.statusCode());
    assertEquals("openai", r.headers().firstValue("X-Selected-Provider").orElseThrow());
    assertTrue(openai.received().get(0).body().contains("\"model\":\"gpt-3.5-turbo\""));
    HttpResponse<String> gemini =
        gw.post(
            "/v1/chat/completions",
            "{\"model\":\"chatgpt3.5\",\"provider\":\"gemini\",\"messages\":[]}");
    assertTrue(
        !"gemini".equals(gemini.headers().firstValue("X-Selected-Provider").orElse("")),
        "gemini is mapped but not in allow_providers");
  }

  @Test
  void aModelWithoutPolicySpreadsOverItsMappedProviders() throws IOException {
    start();
    int n = 60;
    for (int i = 0; i < n; i++) {
      assertEquals(
          200, gw.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4o-mini\"}").statusCode());
    }
    // weights 5 (openai) and 2 (openrouter): ~43 and ~17
    assertTrue(
        openai.calls() > openrouter.calls() && openrouter.calls() > 3,
        "openai " + openai.calls() + ", openrouter " + openrouter.calls());
  }

  @Test
  void theSeedModelsAreListed() throws IOException {
    start();
    String body = gw.get("/v1/models").body();
    assertTrue(
        body.indexOf("\"chatgpt3.5\"") < body.indexOf("\"gemini-3-flash-preview\"")
            && body.indexOf("\"gemini-3-flash-preview\"") < body.indexOf("\"gpt4o-mini\""),
        body);
  }
}
