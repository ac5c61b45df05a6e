package org.llmgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.Yaml;

class AdminApiTest {
  static final String TOKEN = "adm-token-4f1c9b";
  static final List<String> SECRETS =
      List.of(
          "sk-alpha-one",
          "sk-alpha-two",
          "sk-beta-one",
          "sk-gw-user-one",
          "sk-gw-user-two",
          "sk-header-secret",
          "hdr-token-value",
          TOKEN);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AtomicBoolean a1Limited = new AtomicBoolean(true);
  private FakeUpstream upstream;
  private GatewayUnderTest gw;

  static String providers(String baseUrl) {
    return Yaml.providers(
        Yaml.provider("alpha", baseUrl, "a1", "sk-alpha-one", "a2", "sk-alpha-two")
            + "    headers:\n      X-Upstream-Token: \"hdr-token-value\"\n      X-Extra: \"sk-header-secret\"\n"
            + "      HTTP-Referer: \"https://gateway.example\"\n",
        Yaml.provider("beta", baseUrl, "b1", "sk-beta-one"));
  }

  static final String GATEWAY_KEYS =
      """
      version: 1
      gateway_keys:
        - key_id: user-1
          key: sk-gw-user-one
          tenant_id: t1
          description: first
        - key_id: user-2
          key: sk-gw-user-two
          tenant_id: t2
          enabled: false
          allowed_models: [m1]
      """;

  @BeforeEach
  void start() {
    upstream =
        new FakeUpstream()
            .script(
                r ->
                    "Bearer sk-alpha-one".equals(r.header("authorization")) && a1Limited.get()
                        ? FakeUpstream.status(429, "{\"error\":{\"message\":\"rate limited\"}}")
                        : FakeUpstream.ok("hi"));
    gw =
        GatewayUnderTest.builder()
            .file("providers.yaml", providers(upstream.baseUrl()))
            .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha", "beta")))
            .file("keys.yaml", GATEWAY_KEYS)
            .env("GATEWAY_ADMIN_TOKEN", TOKEN)
            .start();
  }

  @AfterEach
  void stop() {
    gw.close();
    upstream.close();
  }

  private HttpResponse<String> admin(String path) {
    return gw.get(path, "X-Admin-Token", TOKEN);
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  @Test
  void everyAdminPathIs404WhenNoTokenIsConfigured() {
    try (GatewayUnderTest open =
        GatewayUnderTest.builder()
            .file("providers.yaml", providers(upstream.baseUrl()))
            .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
            .start()) {
      for (String path :
          List.of("/admin", "/admin/catalog", "/admin/stats", "/admin/keys", "/admin/nope")) {
        assertEquals(404, open.get(path, "X-Admin-Token", TOKEN).statusCode(), path);
        assertEquals(404, open.get(path).statusCode(), path);
      }
      assertEquals(
          404,
          open.post("/admin/keys/alpha/a1/reset", "", "Authorization", "Bearer " + TOKEN)
              .statusCode());
    }
  }

  @Test
  void aMissingOrWrongTokenIs401AndTheRightOneInEitherHeaderIsAccepted() {
    for (String[] headers :
        List.of(
            new String[0],
            new String[] {"X-Admin-Token", "wrong"},
            new String[] {"Authorization", "Bearer wrong"},
            new String[] {"Authorization", "Bearer " + TOKEN + "x"},
            new String[] {"X-Admin-Token", TOKEN.substring(1)})) {
      for (String path : List.of("/admin/catalog", "/admin/keys", "/admin/unknown")) {
        HttpResponse<String> r = gw.get(path, headers);
        assertEquals(401, r.statusCode(), path + " " + List.of(headers));
        assertEquals("authentication_error", json(r).at("/error/type").asText());
        assertFalse(r.body().contains(TOKEN));
      }
    }
    assertEquals(200, gw.get("/admin/catalog", "Authorization", "Bearer " + TOKEN).statusCode());
    assertEquals(200, gw.get("/admin/catalog", "X-Admin-Token", TOKEN).statusCode());
  }

  @Test
  void catalogShowsTheConfigurationInTheOriginalShapeWithoutAnySecret() {
    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    HttpResponse<String> r = admin("/admin/catalog");
    assertEquals(200, r.statusCode());
    for (String secret : SECRETS) {
      assertFalse(r.body().contains(secret), "catalog leaks " + secret + ": " + r.body());
    }
    JsonNode c = json(r);
    assertEquals(64, c.at("/runtime/config_hash").asText().length());
    assertTrue(c.at("/runtime/uptime_s").isNumber());
    assertFalse(c.at("/runtime/auth_enabled").asBoolean());
    assertEquals(2, c.at("/summary/providers").asInt());
    assertEquals(1, c.at("/summary/models").asInt());
    assertEquals(2, c.at("/summary/gateway_keys").asInt());
    assertEquals("m1", c.at("/models/0/name").asText());
    assertEquals("m1-upstream", c.at("/models/0/provider_map/alpha").asText());
    JsonNode alpha = c.at("/providers/0");
    assertEquals("alpha", alpha.get("name").asText());
    assertEquals("a1", alpha.at("/keys/0/id").asText());
    assertEquals(1, alpha.at("/keys/0").size(), "a key shows its id only");
    assertEquals("Authorization", alpha.at("/auth/header").asText());
    assertEquals("***", alpha.at("/headers/X-Upstream-Token").asText());
    assertEquals("***", alpha.at("/headers/X-Extra").asText());
    assertEquals("https://gateway.example", alpha.at("/headers/HTTP-Referer").asText());
    assertEquals("user-2", c.at("/gateway_keys/1/key_id").asText());
    assertFalse(c.at("/gateway_keys/1/enabled").asBoolean());
    assertEquals("m1", c.at("/gateway_keys/1/allowed_models/0").asText());
    assertTrue(c.at("/gateway_keys/0/key").isMissingNode(), "never the key itself");
  }

  @Test
  void keysViewShowsACooldownAfter429AndResetLetsTheNextRequestUseTheKey() {
    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    JsonNode keys = json(admin("/admin/keys"));
    JsonNode a1 = keys.at("/providers/0/keys/0");
    assertEquals("alpha", keys.at("/providers/0/provider").asText());
    assertEquals("closed", keys.at("/providers/0/circuit").asText());
    assertEquals("a1", a1.get("key_id").asText());
    assertEquals("cooling", a1.get("state").asText());
    assertEquals("HTTP 429", a1.get("reason").asText());
    assertEquals("HTTP 429", a1.get("last_error").asText());
    assertFalse(a1.get("cooling_until").isNull());
    assertEquals("ok", keys.at("/providers/0/keys/1/state").asText());

    a1Limited.set(false);
    HttpResponse<String> reset = gw.post("/admin/keys/alpha/a1/reset", "", "X-Admin-Token", TOKEN);
    assertEquals(200, reset.statusCode(), reset.body());
    assertEquals("ok", json(reset).get("state").asText());
    assertEquals("ok", json(admin("/admin/keys")).at("/providers/0/keys/0/state").asText());

    upstream.reset();
    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    assertEquals(
        "Bearer sk-alpha-one",
        upstream.received().getFirst().header("authorization"),
        "the reset key is back in rotation");
  }

  @Test
  void statsCountRequestsErrorsTokensAndKeyUsage() {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    }
    assertEquals(400, gw.post("/v1/chat/completions", Yaml.chat("unknown")).statusCode());
    assertEquals(200, gw.get("/healthz").statusCode());
    JsonNode s = json(admin("/admin/stats?window=5"));
    assertEquals(5, s.get("window_minutes").asInt());
    assertEquals(5, s.get("series").size());
    assertEquals(4, s.at("/totals/requests").asInt(), "health and admin calls are not counted");
    assertEquals(1, s.at("/totals/errors").asInt());
    assertEquals(15, s.at("/totals/tokens").asInt());
    assertEquals(4, s.at("/all_time/requests").asInt());
    assertEquals("alpha", s.at("/providers/0/provider").asText());
    assertEquals(
        4, s.at("/providers/0/requests").asInt(), "upstream attempts: one 429 then three answers");
    assertEquals(1, s.at("/providers/0/errors").asInt());
    assertEquals("a1", s.at("/keys/0/key_id").asText());
    assertEquals(1, s.at("/keys/0/errors").asInt());
    assertEquals(3, s.at("/keys/1/requests").asInt());
    assertEquals("a1", s.at("/cooldowns/0/key_id").asText());
    assertEquals("HTTP 429", s.at("/cooldowns/0/reason").asText());
    assertEquals(0, s.get("active_streams").asInt());
    assertEquals(60, json(admin("/admin/stats")).get("window_minutes").asInt());
    assertEquals(1440, json(admin("/admin/stats?window=1440")).get("series").size());
    for (String bad : List.of("0", "1441", "x")) {
      assertEquals(400, admin("/admin/stats?window=" + bad).statusCode(), bad);
    }
  }

  @Test
  void wrongMethodsAre405WithAllowAndUnknownPathsOrKeysAre404() {
    HttpResponse<String> r = gw.method("DELETE", "/admin/catalog", "X-Admin-Token", TOKEN);
    assertEquals(405, r.statusCode());
    assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
    HttpResponse<String> get = admin("/admin/keys/alpha/a1/reset");
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
    assertEquals(404, admin("/admin/nothing").statusCode());
    assertEquals(
        303, admin("/admin").statusCode(), "/admin is the console's entry: to its overview");
    assertEquals(
        404, gw.post("/admin/keys/alpha/zz/reset", "", "X-Admin-Token", TOKEN).statusCode());
    assertEquals(
        404, gw.post("/admin/keys/gamma/a1/reset", "", "X-Admin-Token", TOKEN).statusCode());
  }
}
