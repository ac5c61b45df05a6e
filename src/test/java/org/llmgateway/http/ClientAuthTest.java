package org.llmgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.Yaml;

class ClientAuthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEYS =
      """
      version: 1
      gateway_keys:
        - key_id: full
          key: sk-gw-full-access
          tenant_id: t1
        - key_id: off
          key: sk-gw-disabled-key
          enabled: false
        - key_id: narrow
          key: sk-gw-only-m1
          tenant_id: t2
          allowed_models: [m1]
      """;

  private static GatewayUnderTest gateway(FakeUpstream upstream, String... extraFiles) {
    GatewayUnderTest.Builder b =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                Yaml.providers(Yaml.provider("alpha", upstream.baseUrl(), "a1", "sk-up-1")))
            .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha"), Yaml.model("m2", "alpha")))
            .env("GATEWAY_AUTH_ENABLED", "true");
    for (int i = 0; i + 1 < extraFiles.length; i += 2) {
      b.file(extraFiles[i], extraFiles[i + 1]);
    }
    return b.start();
  }

  private static JsonNode error(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body()).get("error");
  }

  private static void assert401(HttpResponse<String> r, String message) throws IOException {
    assertEquals(401, r.statusCode(), r.body());
    assertEquals(message, error(r).get("message").asText());
    assertEquals("authentication_error", error(r).get("type").asText());
  }

  @Test
  void authOnWithoutGatewayKeysRefusesEveryRequestAndLogsTheErrorAtStart() throws IOException {
    Path errorLog = Path.of(System.getProperty("gateway.log.dir", "logs"), "error.log");
    int before = read(errorLog).length();
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream)) {
      assert401(gw.post("/v1/chat/completions", Yaml.chat("m1")), "missing API key");
      assert401(
          gw.post("/v1/chat/completions", Yaml.chat("m1"), "Authorization", "Bearer sk-anything"),
          "invalid API key");
      assertEquals(401, gw.get("/v1/models", "x-api-key", "sk-anything").statusCode());
      assertEquals(0, upstream.calls());
      Await.until(
          Duration.ofSeconds(3),
          "the fail-closed error line in error.log, written by this start",
          () ->
              read(errorLog)
                  .substring(Math.min(before, read(errorLog).length()))
                  .contains("GATEWAY_AUTH_ENABLED is true but no gateway_keys are configured"));
    }
  }

  @Test
  void missingInvalidAndDisabledKeysGetTheirOwn401() throws IOException {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream, "keys.yaml", KEYS)) {
      assert401(gw.post("/v1/chat/completions", Yaml.chat("m1")), "missing API key");
      assert401(
          gw.post("/v1/chat/completions", Yaml.chat("m1"), "Authorization", "Bearer sk-gw-wrong"),
          "invalid API key");
      assert401(
          gw.post("/v1/chat/completions", Yaml.chat("m1"), "x-api-key", "sk-gw-full-access-x"),
          "invalid API key");
      assert401(
          gw.post(
              "/v1/chat/completions",
              Yaml.chat("m1"),
              "Authorization",
              "Bearer sk-gw-disabled-key"),
          "API key disabled");
      assertEquals(0, upstream.calls());
    }
  }

  @Test
  void acceptsBearerRawAuthorizationXApiKeyAndTheQueryParameter() {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream, "keys.yaml", KEYS)) {
      for (String[] way :
          List.of(
              new String[] {"Authorization", "Bearer sk-gw-full-access"},
              new String[] {"Authorization", "sk-gw-full-access"},
              new String[] {"x-api-key", "sk-gw-full-access"})) {
        assertEquals(
            200,
            gw.post("/v1/chat/completions", Yaml.chat("m1"), way).statusCode(),
            List.of(way).toString());
      }
      assertEquals(
          200,
          gw.post("/v1/chat/completions?api_key=sk-gw-full-access", Yaml.chat("m1")).statusCode());
      assertEquals(4, upstream.calls());
      assertTrue(
          upstream.received().stream()
              .allMatch(r -> "Bearer sk-up-1".equals(r.header("authorization"))),
          "the client's key is replaced by the provider key");
    }
  }

  @Test
  void allowedModelsForbidOtherModelsAndFilterTheModelList() throws IOException {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream, "keys.yaml", KEYS)) {
      HttpResponse<String> forbidden =
          gw.post("/v1/chat/completions", Yaml.chat("m2"), "x-api-key", "sk-gw-only-m1");
      assertEquals(403, forbidden.statusCode());
      assertEquals("model not allowed: m2", error(forbidden).get("message").asText());
      assertEquals("permission_error", error(forbidden).get("type").asText());
      assertEquals(
          200,
          gw.post("/v1/chat/completions", Yaml.chat("m1"), "x-api-key", "sk-gw-only-m1")
              .statusCode());

      JsonNode narrow =
          JSON.readTree(gw.get("/v1/models", "Authorization", "Bearer sk-gw-only-m1").body());
      assertEquals(List.of("m1"), narrow.get("data").findValuesAsText("id"));
      JsonNode full =
          JSON.readTree(gw.get("/v1/models", "Authorization", "Bearer sk-gw-full-access").body());
      assertEquals(List.of("m1", "m2"), full.get("data").findValuesAsText("id"));
      assertEquals(
          404, gw.get("/v1/models/m2", "Authorization", "Bearer sk-gw-only-m1").statusCode());
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** As most clients do: the whole body is written before the answer is read. */
  private static String postWholeBodyThenRead(GatewayUnderTest gw, String body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", gw.server().port())) {
      socket.setSoTimeout(10_000);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + bytes.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aKeylessRequestWithALargeBodyGetsThe401InsteadOfABrokenConnection() throws IOException {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw = gateway(upstream, "keys.yaml", KEYS)) {
      String filler = "x".repeat(5 * 1024 * 1024);
      String big =
          postWholeBodyThenRead(
              gw,
              "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\""
                  + filler
                  + "\"}]}");
      assertTrue(big.startsWith("HTTP/1.1 401"), big.substring(0, Math.min(200, big.length())));
      assertTrue(big.contains("\"missing API key\""), big);
      String escapes = "\\u00e9".repeat(1024 * 1024 / 6);
      String escaped =
          postWholeBodyThenRead(
              gw,
              "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\""
                  + escapes
                  + "\"}]}");
      assertTrue(
          escaped.startsWith("HTTP/1.1 401"),
          escaped.substring(0, Math.min(200, escaped.length())));
      assertEquals(0, upstream.calls(), "nothing reached the upstream");
      assertEquals(
          200,
          gw.post(
                  "/v1/chat/completions",
                  Yaml.chat("m1"),
                  "Authorization",
                  "Bearer sk-gw-full-access")
              .statusCode(),
          "the gateway still serves after draining the bodies");
    }
  }
}
