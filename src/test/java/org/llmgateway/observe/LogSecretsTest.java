package org.llmgateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.LogFiles;
import org.llmgateway.testing.Yaml;

/**
 * Runs every kind of traffic with auth on, then searches every file in the log directory for every
 * configured secret. Waits for the asynchronous loggers to write the lines instead of shutting
 * Log4j down (one context per JVM).
 */
class LogSecretsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "adm-log-token-77aa";
  private static final String GW_KEY = "sk-log-gateway-key-1";
  private static final String GW_KEY_2 = "sk-log-gateway-key-2";
  private static final List<String> SECRETS =
      List.of(
          "sk-log-first-key-1",
          "sk-log-first-key-2",
          "sk-log-second-key-1",
          "hdr-log-secret-value",
          GW_KEY,
          GW_KEY_2,
          ADMIN);
  private static final Path LOG_DIR = Path.of(System.getProperty("gateway.log.dir", "logs"));

  @Test
  void noLogFileContainsAConfiguredSecretAfterEveryKindOfTraffic() {
    String run = Long.toHexString(System.nanoTime());
    try (FakeUpstream upstream =
            new FakeUpstream()
                .script(
                    r -> {
                      String auth = r.header("authorization");
                      if (r.body().contains("bad-upstream")) {
                        return FakeUpstream.status(
                            400, "{\"error\":{\"message\":\"bad request from the model\"}}");
                      }
                      if (r.body().contains("fo-upstream")
                          && "Bearer sk-log-first-key-1".equals(auth)) {
                        return FakeUpstream.status(500, "{\"error\":{\"message\":\"boom\"}}");
                      }
                      return r.body().contains("\"stream\":true")
                          ? FakeUpstream.chunks(3, 5)
                          : FakeUpstream.ok("fine");
                    });
        GatewayUnderTest gw =
            GatewayUnderTest.builder()
                .file(
                    "providers.yaml",
                    Yaml.providers(
                        Yaml.provider("first", upstream.baseUrl(), "f1", "sk-log-first-key-1")
                            + "    headers:\n      X-Custom-Auth: \"hdr-log-secret-value\"\n",
                        Yaml.provider("second", upstream.baseUrl(), "s1", "sk-log-second-key-1")))
                .file(
                    "models.yaml",
                    Yaml.models(
                        Yaml.model("ok", "first"),
                        Yaml.model("bad", "first"),
                        Yaml.model("fo", "first", "second")))
                .file(
                    "keys.yaml",
                    """
                version: 1
                gateway_keys:
                  - {key_id: log-user, key: %s, tenant_id: log-tenant}
                  - {key_id: log-off, key: %s, enabled: false}
                """
                        .formatted(GW_KEY, GW_KEY_2))
                .env("GATEWAY_AUTH_ENABLED", "true")
                .env("GATEWAY_ADMIN_TOKEN", ADMIN)
                .start()) {
      String bearer = "Bearer " + GW_KEY;
      HttpResponse<String> ok =
          gw.post(
              "/v1/chat/completions",
              Yaml.chat("ok"),
              "Authorization",
              bearer,
              "X-Request-Id",
              run + "-ok");
      assertEquals(200, ok.statusCode());
      assertEquals(
          400,
          gw.post(
                  "/v1/chat/completions",
                  Yaml.chat("bad"),
                  "x-api-key",
                  GW_KEY,
                  "X-Request-Id",
                  run + "-bad")
              .statusCode());
      assertEquals(
          200,
          gw.post(
                  "/v1/chat/completions?api_key=" + GW_KEY,
                  Yaml.chat("fo"),
                  "X-Request-Id",
                  run + "-fo")
              .statusCode());
      HttpResponse<InputStream> stream =
          gw.postStream(
              "/v1/chat/completions",
              Yaml.chatStream("ok"),
              "Authorization",
              GW_KEY,
              "X-Request-Id",
              run + "-stream");
      assertEquals(200, stream.statusCode());
      drain(stream.body());
      assertEquals(
          401,
          gw.post(
                  "/v1/chat/completions",
                  Yaml.chat("ok"),
                  "Authorization",
                  "Bearer " + GW_KEY_2,
                  "X-Request-Id",
                  run + "-disabled")
              .statusCode());
      assertEquals(
          401,
          gw.post(
                  "/v1/chat/completions",
                  Yaml.chat("ok"),
                  "Authorization",
                  "Bearer wrong-" + GW_KEY,
                  "X-Request-Id",
                  run + "-wrong")
              .statusCode());
      assertEquals(
          200,
          gw.get("/admin/catalog", "X-Admin-Token", ADMIN, "X-Request-Id", run + "-admin")
              .statusCode());
      assertEquals(
          401,
          gw.get(
                  "/admin/keys",
                  "Authorization",
                  "Bearer x" + ADMIN,
                  "X-Request-Id",
                  run + "-adm401")
              .statusCode());

      Await.until(
          Duration.ofSeconds(1),
          "every request in access.log and every attempt in upstream.log",
          () ->
              List.of("ok", "bad", "fo", "stream", "disabled", "wrong", "admin", "adm401").stream()
                      .allMatch(id -> accessLine(run + "-" + id).isPresent())
                  && upstreamLines(run + "-fo").size() == 2
                  && upstreamLines(run + "-ok").size() == 1
                  && read(LOG_DIR.resolve("app.log")).contains(run + "-bad"));

      JsonNode access = accessLine(run + "-ok").orElseThrow();
      assertEquals("first", access.get("provider").asText());
      assertEquals("f1", access.get("key_id").asText());
      assertEquals("log-user", access.get("gateway_key_id").asText());
      assertEquals("log-tenant", access.get("tenant_id").asText());
      JsonNode failover = accessLine(run + "-fo").orElseThrow();
      assertEquals("second", failover.get("provider").asText());
      assertEquals(2, failover.get("attempts").asInt());
      assertEquals("/v1/chat/completions?api_key=***", failover.get("path").asText());
      assertTrue(accessLine(run + "-stream").orElseThrow().get("stream").asBoolean());

      JsonNode attempt = upstreamLines(run + "-ok").getFirst();
      assertEquals("upstream_request", attempt.get("event").asText());
      assertEquals("f1", attempt.get("key_id").asText());
      assertEquals("***", attempt.at("/request/headers/Authorization").asText());
      assertEquals("***", attempt.at("/request/headers/X-Custom-Auth").asText());
      List<JsonNode> fo = upstreamLines(run + "-fo");
      assertEquals(
          List.of("next_provider", "ok"), fo.stream().map(n -> n.get("outcome").asText()).toList());
    }

    List<String> leaks = new ArrayList<>();
    int files = 0;
    try (Stream<Path> all = Files.walk(LOG_DIR)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        files++;
        String text = read(f);
        for (String secret : SECRETS) {
          if (text.contains(secret)) {
            leaks.add(f.getFileName() + " contains " + secret);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(files >= 4, "access, upstream, app and error logs searched: " + files);
    assertEquals(List.of(), leaks);
  }

  private static Optional<JsonNode> accessLine(String requestId) {
    return lines("access.log", requestId).stream().findFirst();
  }

  private static List<JsonNode> upstreamLines(String requestId) {
    return lines("upstream.log", requestId);
  }

  private static List<JsonNode> lines(String file, String requestId) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : read(LOG_DIR.resolve(file)).split("\n")) {
      if (line.contains("\"request_id\":\"" + requestId + "\"")) {
        try {
          out.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new AssertionError("not a JSON line in " + file + ": " + line, e);
        }
      }
    }
    return out;
  }

  private static String read(Path f) {
    return LogFiles.read(f);
  }

  private static void drain(InputStream in) {
    try (in) {
      in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
