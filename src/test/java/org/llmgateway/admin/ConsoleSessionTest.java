package org.llmgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.Yaml;

class ConsoleSessionTest {
  static final String TOKEN = "console-token-7d2e";

  private FakeUpstream upstream;
  private GatewayUnderTest gw;
  private ConsoleClient browser;

  @BeforeEach
  void start() {
    upstream =
        new FakeUpstream()
            .script(r -> FakeUpstream.status(429, "{\"error\":{\"message\":\"slow down\"}}"));
    gw =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                Yaml.providers(Yaml.provider("alpha", upstream.baseUrl(), "a1", "sk-alpha-one")))
            .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
            .env("GATEWAY_ADMIN_TOKEN", TOKEN)
            .start();
    browser = new ConsoleClient(gw);
  }

  @AfterEach
  void stop() {
    gw.close();
    upstream.close();
  }

  @Test
  void withoutAnAdminTokenTheConsoleDoesNotExist() {
    try (GatewayUnderTest plain =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                Yaml.providers(Yaml.provider("alpha", upstream.baseUrl(), "a1", "sk-alpha-one")))
            .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
            .start()) {
      for (String path :
          List.of(
              "/admin",
              "/admin/login",
              "/admin/ui/overview",
              "/admin/assets/console.js",
              "/admin/session",
              "/admin/config")) {
        assertEquals(404, plain.get(path).statusCode(), path);
      }
      assertEquals(404, new ConsoleClient(plain).login(TOKEN, "x", null).statusCode());
    }
  }

  @Test
  void loginSetsAnHttpOnlyStrictSessionCookieAndGoesToTheLocalNext() {
    HttpResponse<String> r = browser.login(TOKEN, "alice", "/admin/ui/config");
    assertEquals(303, r.statusCode());
    assertEquals("/admin/ui/config", r.headers().firstValue("Location").orElseThrow());
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(
        cookie.matches("llmgw_console=[A-Za-z0-9_-]{43}; Path=/admin; HttpOnly; SameSite=Strict"),
        cookie);
    assertFalse(r.headers().firstValue("Location").orElseThrow().contains(TOKEN));
    var session = ConsoleClient.json(browser.get("/admin/session"));
    assertEquals("alice", session.get("operator").asText());
    assertEquals("session", session.get("via").asText());
    assertEquals(200, browser.get("/admin/catalog").statusCode());
    assertEquals(200, browser.get("/admin/ui/config").statusCode());
  }

  @Test
  void behindATlsProxyTheCookieIsSecure() {
    HttpResponse<String> r = browser.login(TOKEN, "alice", null, "X-Forwarded-Proto", "https");
    assertTrue(r.headers().firstValue("Set-Cookie").orElseThrow().endsWith("; Secure"));
  }

  @Test
  void aNextThatLeavesTheConsoleGoesToTheOverviewInstead() {
    for (String next :
        List.of(
            "//evil.example/admin/",
            "https://evil.example/admin/ui/keys",
            "/admin/../evil",
            "/admin/%2e%2e/evil",
            "/\\evil.example",
            "javascript:alert(1)",
            "/admin/ui/keys\r\nSet-Cookie: x=y",
            "/elsewhere",
            "")) {
      HttpResponse<String> r = new ConsoleClient(gw).login(TOKEN, "alice", next);
      assertEquals(303, r.statusCode(), next);
      assertEquals("/admin/ui/overview", r.headers().firstValue("Location").orElseThrow(), next);
    }
  }

  @Test
  void aWrongTokenGetsNoSessionAndTheLoginAgainWithoutTheTokenInTheUrl() {
    HttpResponse<String> r = browser.login("wrong-token-value", "mallory", "/admin/ui/keys");
    assertEquals(303, r.statusCode());
    assertTrue(r.headers().firstValue("Set-Cookie").isEmpty());
    String location = r.headers().firstValue("Location").orElseThrow();
    assertEquals("/admin/login?error=1&next=%2Fadmin%2Fui%2Fkeys", location);
    assertEquals(401, browser.get("/admin/catalog").statusCode());
  }

  @Test
  void repeatedWrongTokensLockTheLoginForThatAddressEvenForTheRightToken() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      assertTrue(
          browser
              .login("guess-" + i, "mallory", null)
              .headers()
              .firstValue("Location")
              .orElseThrow()
              .contains("error=1"));
    }
    HttpResponse<String> locked = browser.login(TOKEN, "mallory", null);
    assertEquals(303, locked.statusCode());
    assertTrue(
        locked
            .headers()
            .firstValue("Location")
            .orElseThrow()
            .startsWith("/admin/login?error=locked&wait=15"),
        locked.headers().firstValue("Location").orElseThrow());
    assertTrue(locked.headers().firstValue("Set-Cookie").isEmpty());
    assertEquals(
        200,
        gw.get("/admin/catalog", "X-Admin-Token", TOKEN).statusCode(),
        "scripts with the token go on");
  }

  @Test
  void pagesSendABrowserWithoutSessionToTheLoginAndComeWithAStrictCsp() {
    HttpResponse<String> r = browser.get("/admin/ui/topology");
    assertEquals(303, r.statusCode());
    assertEquals(
        "/admin/login?next=%2Fadmin%2Fui%2Ftopology",
        r.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> login = browser.get("/admin/login");
    assertEquals(200, login.statusCode());
    String csp = login.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
    assertTrue(login.body().contains("type=\"password\" name=\"token\""));
    assertFalse(login.body().contains(TOKEN));
    assertEquals(404, browser.get("/admin/ui/unknown").statusCode());
    HttpResponse<String> js = browser.get("/admin/assets/console.js");
    assertEquals(200, js.statusCode());
    assertTrue(js.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
    assertFalse(js.body().contains("innerHTML"), "the console never renders with innerHTML");
    assertEquals(404, browser.get("/admin/assets/../../log4j2.xml").statusCode());
  }

  @Test
  void aSessionChangesStateOnlyWithItsCsrfToken() {
    gw.post("/v1/chat/completions", Yaml.chat("m1"));
    browser.login(TOKEN, "alice", null);
    String reset = "/admin/keys/alpha/a1/reset";
    assertEquals(
        "cooling",
        ConsoleClient.json(browser.get("/admin/keys")).at("/providers/0/keys/0/state").asText());
    HttpResponse<String> none = browser.sendWith("POST", reset, null);
    assertEquals(403, none.statusCode());
    assertEquals("csrf_failed", ConsoleClient.json(none).at("/error/code").asText());
    assertEquals(403, browser.sendWith("POST", reset, null, "X-CSRF-Token", "forged").statusCode());
    assertEquals(
        "cooling",
        ConsoleClient.json(browser.get("/admin/keys")).at("/providers/0/keys/0/state").asText());
    assertEquals(
        401,
        new ConsoleClient(gw)
            .sendWith("POST", reset, null, "X-CSRF-Token", browser.csrf())
            .statusCode(),
        "the token without the session's cookie");
    HttpResponse<String> ok = browser.send("POST", reset, null);
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(
        "ok",
        ConsoleClient.json(browser.get("/admin/keys")).at("/providers/0/keys/0/state").asText());
  }

  @Test
  void theTokenHeaderStillWorksWithoutCsrfForScripts() {
    gw.post("/v1/chat/completions", Yaml.chat("m1"));
    HttpResponse<String> r =
        gw.send(
            gw.request("/admin/keys/alpha/a1/reset", "X-Admin-Token", TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void logoutEndsTheSessionAndClearsTheCookie() {
    browser.login(TOKEN, "alice", null);
    assertNotNull(browser.cookie());
    HttpResponse<String> out = browser.send("POST", "/admin/logout", null);
    assertEquals(200, out.statusCode(), out.body());
    assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
    assertEquals(401, browser.get("/admin/session").statusCode());
    assertEquals(303, browser.get("/admin/ui/overview").statusCode());
  }

  @Test
  void theLiveViewAndTheBreakdownShowTrafficWithoutTheConsoleItself() {
    gw.post("/v1/chat/completions", Yaml.chat("m1"));
    browser.login(TOKEN, "alice", null);
    var live = ConsoleClient.json(browser.get("/admin/live"));
    assertEquals(0, live.get("in_flight").asInt(), live.toString());
    var b = ConsoleClient.json(browser.get("/admin/stats/breakdown?window=15"));
    assertEquals(1, b.at("/status_classes/4xx").asLong(), b.toString());
    assertEquals("alpha", b.at("/keys/0/provider").asText());
    assertEquals(1, b.at("/keys/0/too_many_requests").asLong());
    assertEquals(1, b.at("/keys/0/cooldowns").asLong());
    assertEquals(8, b.at("/keys/0/score").asLong());
    assertEquals(1, b.at("/error_types/0/count").asLong(), b.toString());
  }
}
