package org.llmgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.llmgateway.config.ConfigLoader;
import org.llmgateway.testing.GatewayUnderTest;

/**
 * The embedded server's own routes over real HTTP: health, readiness, models, and errors always as
 * JSON.
 */
class ServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static GatewayUnderTest gw;

  @BeforeAll
  static void start() {
    gw =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                """
        version: 1
        providers:
          mock: {type: mock}
        models:
          zeta:
            aliases: [z-latest, "qwen2:7b"]
            provider_map: {mock: echo-z}
          alpha:
            provider_map: {mock: echo-a}
          mid:
            provider_map: {mock: echo-m}
        """)
            .start();
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    assertEquals(
        Optional.of("application/json"),
        response.headers().firstValue("Content-Type").map(t -> t.replaceAll(";.*", "")),
        "content type of " + response.body());
    return JSON.readTree(response.body());
  }

  @Test
  void healthzAnswers200() throws IOException {
    HttpResponse<String> r = gw.get("/healthz");
    assertEquals(200, r.statusCode());
    assertEquals("ok", json(r).path("status").asText());
  }

  @Test
  void readyzAnswers200WithTheHashOfTheLoadedConfig() throws IOException {
    HttpResponse<String> r = gw.get("/readyz");
    assertEquals(200, r.statusCode());
    JsonNode body = json(r);
    assertEquals("ready", body.path("status").asText());
    String expected =
        new ConfigLoader(Map.<String, String>of()::get).loadDirectory(gw.configDir()).hash();
    assertEquals(expected, body.path("config_hash").asText());
    assertEquals(3, body.path("models").asInt());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/models", "/api/v1/models"})
  void modelsAreListedInTheOpenAiShapeSortedById(String path) throws IOException {
    HttpResponse<String> r = gw.get(path);
    assertEquals(200, r.statusCode());
    JsonNode body = json(r);
    assertEquals("list", body.path("object").asText());
    List<String> ids = body.path("data").valueStream().map(m -> m.path("id").asText()).toList();
    assertEquals(List.of("alpha", "mid", "zeta"), ids);
    JsonNode first = body.path("data").get(0);
    assertEquals("model", first.path("object").asText());
    assertTrue(first.path("created").isNumber());
    assertTrue(first.path("owned_by").isTextual());
  }

  @ParameterizedTest
  @ValueSource(strings = {"zeta", "z-latest", "qwen2:7b"})
  void oneModelIsFoundByIdOrAliasAndAnsweredWithItsId(String idOrAlias) throws IOException {
    HttpResponse<String> r = gw.get("/v1/models/" + idOrAlias);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("zeta", json(r).path("id").asText());
  }

  @Test
  void anUnknownModelIs404ModelNotFound() throws IOException {
    HttpResponse<String> r = gw.get("/v1/models/gpt-17");
    assertEquals(404, r.statusCode());
    JsonNode error = json(r).path("error");
    assertEquals("model_not_found", error.path("code").asText());
    assertEquals("invalid_request_error", error.path("type").asText());
    assertTrue(error.path("message").asText().contains("gpt-17"));
  }

  @Test
  void anUnknownRouteIs404Json() throws IOException {
    HttpResponse<String> r = gw.get("/v2/nothing/here");
    assertEquals(404, r.statusCode());
    assertEquals("not_found", json(r).path("error").path("code").asText());
  }

  @Test
  void aWrongMethodIs405JsonWithAllow() throws IOException {
    HttpResponse<String> r = gw.method("DELETE", "/v1/models");
    assertEquals(405, r.statusCode());
    assertEquals(Optional.of("GET, HEAD"), r.headers().firstValue("Allow"));
    assertEquals("method_not_allowed", json(r).path("error").path("code").asText());

    HttpResponse<String> get = gw.get("/v1/chat/completions");
    assertEquals(405, get.statusCode());
    assertEquals(Optional.of("POST"), get.headers().firstValue("Allow"));
  }

  @Test
  void garbageInsteadOfHttpGetsA400JsonError() throws IOException {
    String response = raw("THIS IS NOT HTTP\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 400"), response);
    assertJsonError(response);
  }

  @Test
  void aTwentyKilobyteHeaderGetsA431JsonError() throws IOException {
    String response =
        raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20 * 1024) + "\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 431"), response);
    assertJsonError(response);
  }

  @Test
  void aTwelveKilobyteHeaderBlockSpanningManyInputBuffersIsAccepted() throws IOException {
    // the connection's input buffer is 2 KiB: the request head arrives in several reads
    String response =
        raw(
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: "
                + "a".repeat(12 * 1024)
                + "\r\nX-After: seen\r\n\r\n");
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    assertTrue(response.contains("\"status\""), response);
  }

  private static void assertJsonError(String response) throws IOException {
    String lower = response.toLowerCase(Locale.ROOT);
    assertTrue(lower.contains("content-type: application/json"), response);
    assertFalse(lower.contains("<html"), response);
    JsonNode error =
        JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4)).path("error");
    assertTrue(error.path("message").isTextual(), response);
    assertEquals("invalid_request_error", error.path("type").asText(), response);
  }

  /** Sends bytes as they are and reads until the server closes the connection. */
  private static String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", gw.server().port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
