package org.llmgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.Chromium;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.Yaml;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console end to end: the real gateway on port 0 with a fake upstream and 1,000 bulk models,
 * driven by one headless Chromium for the whole class. Tests run in order over one gateway (the
 * overview counts the traffic of the first). Screenshots of each page go to
 * target/console-screenshots (and -Dconsole.screenshots=DIR).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static final String TOKEN = "browser-token-5c3f0e";
  static final int BULK_MODELS = 1000;
  static final String XSS_PROVIDER = "<img src=x onerror=window.__xss=1>";
  static final String XSS_ALIAS = "</script><script>window.__xss=2</script>";

  private final AtomicBoolean a1Limited = new AtomicBoolean(false);
  private FakeUpstream upstream;
  private GatewayUnderTest gw;
  private Path history;
  private Chromium chromium;
  private ChromeDriver driver;

  static String models() {
    StringBuilder sb =
        new StringBuilder(
            Yaml.models(Yaml.model("m1", "alpha", "beta"), Yaml.model("slow", "alpha")));
    for (int i = 1; i <= BULK_MODELS; i++) {
      String n = String.format("%04d", i);
      sb.append("  bulk-")
          .append(n)
          .append(":\n    aliases: [alias-")
          .append(n)
          .append("]\n    provider_map: {")
          .append(i % 2 == 0 ? "alpha" : "beta")
          .append(": upstream-")
          .append(n)
          .append("}\n");
    }
    return sb.toString();
  }

  @BeforeAll
  void start() throws IOException {
    upstream =
        new FakeUpstream()
            .script(
                r -> {
                  if (r.body().contains("slow-upstream")) {
                    return FakeUpstream.chunks(100, 200);
                  }
                  if (a1Limited.get() && "Bearer sk-alpha-one".equals(r.header("authorization"))) {
                    return FakeUpstream.status(429, "{\"error\":{\"message\":\"rate limited\"}}");
                  }
                  return FakeUpstream.ok("hi");
                });
    history = Files.createTempDirectory("gw-history");
    gw =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                Yaml.providers(
                    Yaml.provider(
                        "alpha", upstream.baseUrl(), "a1", "sk-alpha-one", "a2", "sk-alpha-two"),
                    Yaml.provider("beta", upstream.baseUrl(), "b1", "sk-beta-one")))
            .file("models.yaml", models())
            .env("GATEWAY_ADMIN_TOKEN", TOKEN)
            .env("GATEWAY_CONFIG_HISTORY_DIR", history.toString())
            .env("GATEWAY_KEY_COOLDOWN_SEC", "600")
            .start();
    chromium = Chromium.start(1440, 1000);
    driver = chromium.driver();
  }

  @AfterAll
  void stop() throws IOException {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      gw.close();
      upstream.close();
      ConfigCenterApiTest.delete(history);
      ConfigCenterApiTest.delete(gw.configDir());
    }
  }

  private <T> T waitFor(String what, Function<WebDriver, T> condition) {
    return chromium.waitFor(what, condition);
  }

  /** The element, once the page's script has made it. */
  private WebElement find(String css) {
    return waitFor(
        css,
        d -> {
          List<WebElement> e = d.findElements(By.cssSelector(css));
          return e.isEmpty() ? null : e.getFirst();
        });
  }

  /** Clicks the element, again if a refresh replaced it meanwhile. */
  private void click(String css) {
    waitFor(
        "a click on " + css,
        d -> {
          d.findElement(By.cssSelector(css)).click();
          return true;
        });
  }

  private String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  private void waitText(String css, String expected) {
    waitFor(
        css + " to read \"" + expected + "\"",
        d -> {
          List<WebElement> e = d.findElements(By.cssSelector(css));
          return !e.isEmpty() && e.getFirst().getText().equals(expected);
        });
  }

  private void waitContains(String css, String expected) {
    waitFor(
        css + " to contain \"" + expected + "\"",
        d -> {
          List<WebElement> e = d.findElements(By.cssSelector(css));
          return !e.isEmpty() && e.getFirst().getText().contains(expected);
        });
  }

  private void open(String page) {
    driver.get(gw.url("/admin/ui/" + page));
  }

  private void login() {
    if (driver.manage().getCookieNamed(Sessions.COOKIE) == null) {
      driver.get(gw.url("/admin/login"));
      driver.findElement(By.id("token")).sendKeys(TOKEN);
      driver.findElement(By.id("operator")).sendKeys("Ada");
      driver.findElement(By.id("login-submit")).click();
      waitFor("the overview after login", d -> d.getCurrentUrl().endsWith("/admin/ui/overview"));
    }
  }

  private JsonNode admin(String path) {
    return ConsoleClient.json(gw.get(path, "X-Admin-Token", TOKEN));
  }

  private void setEditor(String text) {
    WebElement editor = driver.findElement(By.id("config-editor"));
    driver.executeScript(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
        editor,
        text);
  }

  private String editor() {
    return driver.findElement(By.id("config-editor")).getDomProperty("value");
  }

  private void openConfigFile(String name) {
    open("config");
    waitFor(
        "the " + name + " tab",
        d ->
            !d.findElements(By.cssSelector("#config-files button[data-file='" + name + "']"))
                .isEmpty());
    driver.findElement(By.cssSelector("#config-files button[data-file='" + name + "']")).click();
    waitContains("#config-info", name);
  }

  @Test
  @Order(1)
  void aLoginWithTheTokenLeadsToTheOverviewWhoseNumbersMatchTheTrafficSent() {
    for (int i = 0; i < 5; i++) {
      assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    }
    for (int i = 0; i < 2; i++) {
      assertEquals(400, gw.post("/v1/chat/completions", Yaml.chat("no-such-model")).statusCode());
    }
    open("overview");
    waitFor("the login page", d -> d.getCurrentUrl().contains("/admin/login?next="));
    chromium.screenshot("login");
    driver.findElement(By.id("token")).sendKeys(TOKEN);
    driver.findElement(By.id("operator")).sendKeys("Ada");
    driver.findElement(By.id("login-submit")).click();
    waitFor("the overview", d -> d.getCurrentUrl().endsWith("/admin/ui/overview"));
    assertFalse(driver.getCurrentUrl().contains(TOKEN));
    Cookie session = driver.manage().getCookieNamed(Sessions.COOKIE);
    assertTrue(session.isHttpOnly());
    assertEquals("Strict", session.getSameSite());
    waitText("#card-calls .value", "7");
    assertEquals("2", text("#card-failures .value"));
    assertEquals("1 error type", text("#card-failures .sub"));
    assertEquals("28.6%", text("#card-failure .value"));
    assertEquals("71.4%", text("#card-success .value"));
    assertTrue(text("#card-calls .sub").startsWith("peak 7/min at "), text("#card-calls .sub"));
    assertTrue(text("#provider-health").contains("alpha"), text("#provider-health"));
    assertTrue(text("#status-classes").contains("2xx\n5 (71.4%)"), text("#status-classes"));
    assertTrue(text("#error-types").contains("model_not_found"), text("#error-types"));
    assertEquals("Ada", text("#operator"));
    assertEquals(1, driver.findElements(By.cssSelector("#chart rect.calls")).size());
    assertTrue(driver.findElements(By.id("fleet")).isEmpty(), "no Fleet panel without Redis");
    chromium.screenshot("overview");
    driver.findElement(By.cssSelector("#window option[value='15']")).click();
    waitText("#card-calls .value", "7");
  }

  @Test
  @Order(2)
  void theTopologySearchFindsModelsByAliasAndProviderAmongAThousand() {
    login();
    open("topology");
    waitText(
        "#models-count",
        (BULK_MODELS + 2)
            + " of "
            + (BULK_MODELS + 2)
            + " models (first 500 shown: refine the search)");
    assertTrue(text("#chips").contains("client auth off"), text("#chips"));
    assertTrue(text("#providers-table").contains("alpha openai_compat"), text("#providers-table"));
    assertTrue(text("#providers-table").contains("closed"), "the circuit column");
    find("#topology-search").sendKeys("alias-0777");
    waitText("#models-count", "1 of " + (BULK_MODELS + 2) + " models");
    assertTrue(text("#models-table tbody").startsWith("bulk-0777"), text("#models-table tbody"));
    assertEquals(1, driver.findElements(By.cssSelector("#providers-table tbody tr")).size());
    assertTrue(text("#providers-table tbody").startsWith("beta"));
    WebElement search = find("#topology-search");
    search.clear();
    search.sendKeys("m1");
    waitContains("#models-table tbody", "alpha -> beta");
    assertEquals("1 of " + (BULK_MODELS + 2) + " models", text("#models-count"));
    chromium.screenshot("topology");
  }

  @Test
  @Order(3)
  void aKeyCooledByA429ShowsItsReasonAndTheKeysPageEndsTheCooldown() {
    login();
    a1Limited.set(true);
    try {
      Await.until(
          Duration.ofSeconds(10),
          "alpha/a1 cooling",
          () -> {
            gw.post("/v1/chat/completions", Yaml.chat("m1"));
            return admin("/admin/keys").at("/providers/0/keys/0/state").asText().equals("cooling");
          });
    } finally {
      a1Limited.set(false);
    }
    open("keys");
    String row = "section[data-provider='alpha'] tr[data-key='a1']";
    waitText(row + " td.state", "cooling");
    assertTrue(text(row).contains("429"), text(row));
    String heading = text("section[data-provider='alpha'] h2");
    assertTrue(heading.contains("circuit closed") && heading.contains("failure rate: "), heading);
    chromium.screenshot("keys");
    waitFor(
        "a2's reset button disabled (a2 is not cooling)",
        d ->
            !d.findElement(
                    By.cssSelector("section[data-provider='alpha'] tr[data-key='a2'] button.reset"))
                .isEnabled());
    click(row + " button.reset");
    waitText(row + " td.state", "ok");
    assertEquals("ok", admin("/admin/keys").at("/providers/0/keys/0/state").asText());
  }

  @Test
  @Order(4)
  void theLiveViewShowsAStreamInFlight() throws IOException {
    login();
    HttpResponse<InputStream> stream =
        gw.postStream("/v1/chat/completions", Yaml.chatStream("slow"));
    try (InputStream body = stream.body()) {
      assertEquals(200, stream.statusCode());
      open("live");
      waitText("#card-streams .value", "1");
      assertEquals("1", text("#card-inflight .value"));
      assertTrue(text("#live-table tbody").contains("slow"), text("#live-table tbody"));
      assertTrue(text("#live-table tbody").contains("stream"), text("#live-table tbody"));
      chromium.screenshot("live");
    }
    waitText("#card-streams .value", "0");
    waitText("#card-inflight .value", "0");
  }

  @Test
  @Order(5)
  void aConfigEditWithAnErrorIsRejectedWithItsPathAndAGoodOneIsAppliedAtOnce() {
    login();
    openConfigFile("models.yaml");
    String original = editor();
    setEditor(original.replace("  m1:\n", "  m1: [unclosed\n"));
    find("#config-save").click();
    waitContains("#config-errors", "invalid YAML at line");
    assertTrue(text("#config-errors").startsWith("models.yaml: "), text("#config-errors"));
    setEditor(
        original.replace("default_providers: [alpha, beta]", "default_providers: [alpha, gamma]"));
    find("#config-save").click();
    waitContains("#config-errors", "models.yaml: models.m1.policy.default_providers");
    assertTrue(
        text("#config-rejected").startsWith("Not saved: 1 problem."), text("#config-rejected"));
    chromium.screenshot("config-rejected");
    assertFalse(gw.get("/v1/models").body().contains("gamma"));
    setEditor(
        original.replace(
            "models:\n", "models:\n  added-by-console:\n    provider_map: {beta: b-model}\n"));
    find("#config-save").click();
    waitContains("#config-ok", "Saved and applied: models.yaml version");
    assertTrue(gw.get("/v1/models").body().contains("\"id\":\"added-by-console\""));
    assertTrue(editor().contains("added-by-console"), "the editor shows the saved file");
    waitFor("two versions", d -> d.findElements(By.cssSelector("#config-history li")).size() == 2);
    assertTrue(
        text("#config-history li:first-child").contains("Ada"),
        text("#config-history li:first-child"));
    chromium.screenshot("config");
  }

  @Test
  @Order(6)
  void anOlderVersionIsDiffedAgainstTheCurrentFileAndRestored() {
    login();
    openConfigFile("models.yaml");
    waitFor("versions", d -> d.findElements(By.cssSelector("#config-history li")).size() >= 2);
    String oldest = "#config-history li:last-child";
    click(oldest + " button.diff");
    waitContains("#diff-text", "+  added-by-console:");
    chromium.screenshot("config-diff");
    click(oldest + " button.restore");
    click(oldest + " button.confirm-restore");
    waitContains("#config-ok", "Restored and applied: models.yaml version");
    assertFalse(gw.get("/v1/models").body().contains("added-by-console"));
    assertFalse(editor().contains("added-by-console"));
    assertTrue(
        text("#config-history li:first-child").contains("restore "),
        text("#config-history li:first-child"));
  }

  @Test
  @Order(7)
  void markupInConfigValuesIsShownAsTextAndNeverRuns() {
    login();
    openConfigFile("providers.yaml");
    String providers = editor();
    assertFalse(providers.contains("sk-alpha-one"), "the editor never gets a key value");
    assertTrue(providers.contains("\"***masked***\""), providers);
    setEditor(providers + "  \"" + XSS_PROVIDER + "\":\n    type: mock\n");
    find("#config-save").click();
    waitContains("#config-ok", "Saved and applied: providers.yaml");
    openConfigFile("models.yaml");
    setEditor(
        editor()
            .replace(
                "  slow:\n",
                "  slow:\n    aliases: [\"" + XSS_ALIAS.replace("\"", "\\\"") + "\"]\n"));
    find("#config-save").click();
    waitContains("#config-ok", "Saved and applied: models.yaml");
    assertTrue(Files.exists(gw.configDir().resolve("providers.yaml")));
    String disk = readQuietly(gw.configDir().resolve("providers.yaml"));
    assertTrue(disk.contains("value: \"sk-alpha-one\""), "the masked secret was kept: " + disk);

    open("topology");
    find("#topology-search").sendKeys("slow");
    waitContains("#models-table tbody", XSS_ALIAS);
    noScriptRan();
    WebElement search = find("#topology-search");
    search.clear();
    search.sendKeys("onerror");
    waitContains("#providers-table tbody", XSS_PROVIDER);
    noScriptRan();
    chromium.screenshot("xss-topology");
    open("keys");
    waitFor(
        "the payload provider",
        d ->
            !d.findElements(By.cssSelector("section[data-provider]")).isEmpty()
                && text("#keys").contains(XSS_PROVIDER));
    noScriptRan();
    open("overview");
    waitFor("the overview", d -> !d.findElements(By.cssSelector("#card-calls .value")).isEmpty());
    noScriptRan();
    openConfigFile("providers.yaml");
    assertTrue(editor().contains(XSS_PROVIDER));
    noScriptRan();
  }

  private void noScriptRan() {
    assertEquals(
        Boolean.TRUE,
        driver.executeScript("return window.__xss === undefined"),
        "injected script ran");
    assertEquals(
        0,
        driver.findElements(By.cssSelector("main img, main script")).size(),
        "markup was injected");
  }

  @Test
  @Order(8)
  void logoutEndsTheSessionInTheBrowser() {
    login();
    open("overview");
    waitFor("the logout button", d -> !d.findElements(By.id("logout")).isEmpty());
    find("#logout").click();
    waitFor("the login page", d -> d.getCurrentUrl().endsWith("/admin/login"));
    open("config");
    waitFor("the login page again", d -> d.getCurrentUrl().contains("/admin/login?next="));
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
