package org.llmgateway.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;

/** What reaches the upstream, and what the client gets for bad input; the upstream is WireMock. */
class RequestHandlingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final WireMockServer up =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private GatewayUnderTest gw;

  @BeforeEach
  void start() {
    up.start();
    up.stubFor(post(anyUrl()).willReturn(okJson(FakeUpstream.chatCompletion("fine"))));
    gw =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                """
        version: 1
        providers:
          up:
            base_url: "%s"
            endpoints:
              chat_completions: /v1/chat/completions
              embeddings: /v1/embeddings
              completions: /v1/completions
              responses: /v1/responses
            request_defaults: {temperature: 0.25, max_tokens: 64}
            headers: {X-Title: gateway-test}
            keys: [{id: k1, value: sk-up-1}]
          chat-only:
            base_url: "%s/chat-only"
            keys: [{id: c1, value: sk-c-1}]
        models:
          m:
            aliases: [m-alias, "qwen2:7b"]
            provider_map: {up: upstream-model}
          chat-model:
            provider_map: {chat-only: cm}
        """
                    .formatted(up.baseUrl(), up.baseUrl()))
            .start();
  }

  @AfterEach
  void stop() {
    gw.close();
    up.stop();
  }

  /** The requests the upstream received, oldest first. */
  private List<LoggedRequest> received() {
    return up.findAll(anyRequestedFor(anyUrl()));
  }

  private static JsonNode error(HttpResponse<String> r) throws Exception {
    JsonNode e = JSON.readTree(r.body()).path("error");
    assertTrue(e.has("message") && e.has("type") && e.has("code"), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return e;
  }

  @Test
  void theUpstreamReceivesTheClientsBodyExactlyExceptForTheModelAndTheDefaults() throws Exception {
    String body =
        "{\"model\":\"qwen2:7b\",\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9 🎉 你好\"}],"
            + "\"tools\":[],\"tool_choice\":{},\"seed\":123456789012345678901234567890,\"temperature\":0.70000000000000000001,"
            + "\"logit_bias\":{\"50256\":-100},\"x_vendor\":{\"deep\":[[],{}]},\"big\":1e400}";
    HttpResponse<String> r = gw.post("/v1/chat/completions", body);
    assertEquals(200, r.statusCode());
    String sent = received().get(0).getBodyAsString();
    assertEquals(
        body.replace("\"qwen2:7b\"", "\"upstream-model\"")
            .replace(",\"big\":1e400}", ",\"big\":1e400,\"max_tokens\":64}"),
        sent);
  }

  @Test
  void theUpstreamCallCarriesTheProviderHeadersAndKey() {
    gw.post(
        "/v1/chat/completions",
        "{\"model\":\"m\"}",
        "Authorization",
        "Bearer client-key",
        "Cookie",
        "s=1");
    up.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer sk-up-1"))
            .withHeader("X-Title", equalTo("gateway-test"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withHeader("Accept", equalTo("application/json"))
            .withoutHeader("Cookie")
            .withRequestBody(
                equalToJson(
                    "{\"model\":\"upstream-model\",\"temperature\":0.25,\"max_tokens\":64}")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v1/chat/completions",
        "/chat/completions",
        "/api/v1/chat/completions",
        "/v1beta/openai/chat/completions",
        "/v3/anything/chat/completions"
      })
  void chatCompletionsAnswerUnderAnyPrefix(String path) {
    assertEquals(200, gw.post(path, "{\"model\":\"m\"}").statusCode());
    up.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }

  @Test
  void eachOperationGoesToItsOwnEndpoint() {
    assertEquals(200, gw.post("/v1/embeddings", "{\"model\":\"m\",\"input\":\"x\"}").statusCode());
    assertEquals(
        200, gw.post("/v1/completions", "{\"model\":\"m\",\"prompt\":\"x\"}").statusCode());
    assertEquals(200, gw.post("/v1/responses", "{\"model\":\"m\",\"input\":\"x\"}").statusCode());
    assertEquals(
        List.of("/v1/embeddings", "/v1/completions", "/v1/responses"),
        received().stream().map(LoggedRequest::getUrl).toList());
  }

  @Test
  void aModelWhoseProvidersLackTheOperationGets503() throws Exception {
    HttpResponse<String> r =
        gw.post("/v1/embeddings", "{\"model\":\"chat-model\",\"input\":\"x\"}");
    assertEquals(503, r.statusCode());
    assertTrue(error(r).path("message").asText().startsWith("no provider available"));
    up.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void anEmptyBodyIs400MissingRequestBody() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", "");
    assertEquals(400, r.statusCode());
    assertEquals("missing request body", error(r).path("message").asText());
    assertEquals("invalid_request_error", error(r).path("type").asText());
  }

  @Test
  void malformedJsonIs400InvalidJsonBody() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", "{\"model\":\"m\",");
    assertEquals(400, r.statusCode());
    assertTrue(error(r).path("message").asText().startsWith("invalid json body: "));
  }

  @Test
  void aMissingOrNonStringModelIs400MissingModel() throws Exception {
    for (String body : List.of("{}", "{\"model\":7}", "{\"model\":\"\"}")) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", body);
      assertEquals(400, r.statusCode());
      assertEquals("missing model", error(r).path("message").asText());
    }
  }

  @Test
  void anUnknownModelIs400UnsupportedModel() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", "{\"model\":\"gpt-9\"}");
    assertEquals(400, r.statusCode());
    assertEquals("unsupported model: gpt-9", error(r).path("message").asText());
    assertEquals("model_not_found", error(r).path("code").asText());
  }

  @Test
  void aMebibyteConversationReachesTheUpstreamByteForByte() throws Exception {
    // read through a 2 KiB connection buffer: hundreds of reads, in one piece upstream
    StringBuilder turns = new StringBuilder();
    for (int i = 0; turns.length() < 1024 * 1024; i++) {
      turns.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"turn ");
      turns.append(i).append(' ').append("é漢字🎉 ".repeat(40)).append("\"}");
    }
    String body =
        "{\"model\":\"qwen2:7b\",\"max_tokens\":5,\"temperature\":0.5,\"messages\":["
            + turns
            + "]}";
    HttpResponse<String> r = gw.post("/v1/chat/completions", body);
    assertEquals(200, r.statusCode());
    String expected = body.replace("\"qwen2:7b\"", "\"upstream-model\"");
    LoggedRequest sent = received().get(0);
    assertEquals(expected, sent.getBodyAsString());
    // sent with its length (some providers refuse chunked request bodies), not chunked
    assertEquals(
        String.valueOf(expected.getBytes(StandardCharsets.UTF_8).length),
        sent.getHeader("Content-Length"));
    assertFalse(sent.containsHeader("Transfer-Encoding"));
  }

  @Test
  void aBodyOverTenMebibytesIs413AndNeverReachesTheUpstream() throws Exception {
    byte[] big = new byte[10 * 1024 * 1024 + 10];
    Arrays.fill(big, (byte) ' ');
    byte[] head = "{\"model\":\"m\",\"x\":\"".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(head, 0, big, 0, head.length);
    HttpResponse<String> r =
        gw.send(
            gw.request("/v1/chat/completions")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(413, r.statusCode());
    assertEquals("request_too_large", error(r).path("code").asText());
    up.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void aChunkedBodyOverTheLimitIsAlso413() throws Exception {
    byte[] big = new byte[11 * 1024 * 1024];
    Arrays.fill(big, (byte) 'a');
    HttpResponse<String> r =
        gw.send(
            gw.request("/v1/chat/completions")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(413, r.statusCode());
  }

  @Test
  void unknownRoutesAnd405sAreJsonErrors() throws Exception {
    HttpResponse<String> notFound = gw.get("/v2/nothing");
    assertEquals(404, notFound.statusCode());
    assertEquals("not_found", error(notFound).path("code").asText());
    HttpResponse<String> wrongMethod = gw.get("/v1/chat/completions");
    assertEquals(405, wrongMethod.statusCode());
    assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElseThrow());
    error(wrongMethod);
  }

  @Test
  void everyResponseCarriesARequestId() {
    for (HttpResponse<String> r :
        List.of(
            gw.post("/v1/chat/completions", "{\"model\":\"m\"}"),
            gw.get("/nope"),
            gw.get("/healthz"),
            gw.post("/v1/chat/completions", ""))) {
      assertTrue(
          r.headers().firstValue("X-Request-Id").orElse("").matches("[0-9a-f]{32}"),
          r.headers().toString());
    }
  }
}
