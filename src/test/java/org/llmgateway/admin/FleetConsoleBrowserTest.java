package org.llmgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Stream;
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
import org.llmgateway.testing.LogFiles;
import org.llmgateway.testing.RedisServer;
import org.llmgateway.testing.Yaml;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * The console's Fleet panel end to end: two real gateways (replicas "one" and "two") share one real
 * redis-server that requires a password (given to "one" in the URL's user-info, to "two" in
 * GATEWAY_REDIS_PASSWORD), driven by one headless Chromium logged in to replica one. Tests run in
 * order: both replicas listed with their counts, hostile replica names written straight into Redis
 * shown as text, Redis killed and the panel saying so, and no view, page or log carrying the
 * password.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetConsoleBrowserTest {
  static final String TOKEN = "fleet-browser-token-81d2";
  static final String PASSWORD =
      "redis-pw-" + HexFormat.of().formatHex(randomBytes()) + "-do-not-show";
  static final String XSS_IMG = "<img src=x onerror=window.__xss=1>";
  static final String XSS_BREAKOUT =
      "</code></td></tr></table><script>window.__xss=2</script>" + "W".repeat(160);
  static final Duration PROPAGATION = Duration.ofSeconds(10);
  static final Path LOG_DIR = Path.of(System.getProperty("gateway.log.dir", "logs"));

  private FakeUpstream upstream;
  private RedisServer redis;
  private GatewayUnderTest one;
  private GatewayUnderTest two;
  private Chromium chromium;
  private ChromeDriver driver;

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  @BeforeAll
  void start() {
    upstream = new FakeUpstream().script(r -> FakeUpstream.ok("hi"));
    redis = RedisServer.onFreePort();
    try (Jedis admin = redis.client()) {
      admin.configSet("requirepass", PASSWORD);
    }
    one =
        replica(
            "one",
            "GATEWAY_REDIS_URL",
            "redis://default:" + PASSWORD + "@127.0.0.1:" + redis.port());
    two = replica("two", "GATEWAY_REDIS_URL", redis.url(), "GATEWAY_REDIS_PASSWORD", PASSWORD);
    chromium = Chromium.start(1440, 1000);
    driver = chromium.driver();
  }

  private GatewayUnderTest replica(String id, String... env) {
    GatewayUnderTest.Builder b =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                Yaml.providers(Yaml.provider("alpha", upstream.baseUrl(), "a1", "sk-alpha-one")))
            .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
            .env("GATEWAY_ADMIN_TOKEN", TOKEN)
            .env("GATEWAY_REPLICA_ID", id)
            // generous for a loaded test machine: the default (10 ms) is for production
            .env("GATEWAY_REDIS_TIMEOUT_MS", "500");
    for (int i = 0; i + 1 < env.length; i += 2) {
      b.env(env[i], env[i + 1]);
    }
    return b.start();
  }

  @AfterAll
  void stop() {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      for (AutoCloseable c : new AutoCloseable[] {one, two, upstream, redis}) {
        try {
          if (c != null) {
            c.close();
          }
        } catch (Exception e) {
          // keep closing the rest
        }
      }
    }
  }

  private Jedis authedRedis() {
    Jedis j = redis.client();
    j.auth(PASSWORD);
    return j;
  }

  private <T> T waitFor(String what, Function<WebDriver, T> condition) {
    return chromium.waitFor(what, condition);
  }

  private String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  private List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Presses Refresh until the condition holds (the page's own refresh is every 10 s). */
  private void refreshUntil(String what, Function<WebDriver, Boolean> condition) {
    waitFor(
        what,
        d -> {
          if (Boolean.TRUE.equals(condition.apply(d))) {
            return true;
          }
          List<WebElement> refresh = d.findElements(By.id("refresh"));
          if (!refresh.isEmpty()) {
            refresh.getFirst().click();
          }
          return null;
        });
  }

  private void loginToReplicaOne() {
    if (driver.manage().getCookieNamed(Sessions.COOKIE) == null) {
      driver.get(one.url("/admin/login"));
      driver.findElement(By.id("token")).sendKeys(TOKEN);
      driver.findElement(By.id("operator")).sendKeys("Grace");
      driver.findElement(By.id("login-submit")).click();
      waitFor("the overview after login", d -> d.getCurrentUrl().endsWith("/admin/ui/overview"));
    }
  }

  private JsonNode stats(GatewayUnderTest gw) {
    return ConsoleClient.json(gw.get("/admin/stats", "X-Admin-Token", TOKEN));
  }

  /** The cells of the Fleet table's row for {@code replica}, as shown. */
  private List<String> row(String replica) {
    for (WebElement tr : all("#fleet-table tbody tr")) {
      if (replica.equals(tr.getDomAttribute("data-replica"))) {
        return tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
      }
    }
    throw new AssertionError("no fleet row for " + replica + " in " + text("#fleet-table"));
  }

  @Test
  @Order(1)
  void theFleetPanelListsBothReplicasWithTheirCountsAndTheirSum() {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, one.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    }
    for (int i = 0; i < 2; i++) {
      assertEquals(200, two.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    }
    assertEquals(400, two.post("/v1/chat/completions", Yaml.chat("no-such")).statusCode());
    Await.until(
        PROPAGATION,
        "both replicas reported their 6 requests",
        () -> stats(one).at("/fleet/totals/requests").asLong() == 6);

    loginToReplicaOne();
    refreshUntil(
        "two replica rows with six calls in all",
        d -> all("#fleet-table tbody tr").size() == 2 && text("#fleet-total").contains("6"));
    List<String> self = row("one");
    assertTrue(self.get(0).startsWith("one") && self.get(0).contains("this replica"), self.get(0));
    assertEquals(List.of("3", "0", "0.0%", "15", "0"), self.subList(1, 6));
    assertTrue(self.get(6).endsWith(" s ago"), "last report age: " + self.get(6));
    List<String> other = row("two");
    assertEquals("two", other.get(0), "only replica one is marked as this replica");
    assertEquals(List.of("3", "1", "33.3%", "10", "0"), other.subList(1, 6));
    assertTrue(
        text("#fleet-total").startsWith("all 2 replicas 6 1 16.7% 25 0"), text("#fleet-total"));
    assertTrue(
        text("#fleet-summary").contains("2 replicas sharing cooldowns and circuits through Redis"),
        text("#fleet-summary"));
    assertEquals("3", text("#card-calls .value"), "the cards stay this replica's own");
    assertTrue(all("#fleet-unavailable").isEmpty());
    chromium.screenshot("fleet");

    driver.get(two.url("/admin/login"));
    driver.findElement(By.id("token")).sendKeys(TOKEN);
    driver.findElement(By.id("operator")).sendKeys("Grace");
    driver.findElement(By.id("login-submit")).click();
    refreshUntil("replica two's console", d -> all("#fleet-table tbody tr").size() == 2);
    assertTrue(row("two").get(0).contains("this replica"), "on two, two is this replica");
    assertFalse(row("one").get(0).contains("this replica"));
    // both replicas listen on 127.0.0.1, and cookies ignore the port: back to replica one
    driver.manage().deleteAllCookies();
    loginToReplicaOne();
    noSecretInAnyAdminViewOrPage();
  }

  @Test
  @Order(2)
  void markupInAReplicaNameFromRedisIsShownAsTextAndBreaksNoLayout() throws IOException {
    Instant now = Instant.now();
    try (Jedis r = authedRedis()) {
      for (String name : List.of(XSS_IMG, XSS_BREAKOUT)) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("replica", name);
        report.put("started_at", now.minusSeconds(3600).toString());
        report.put("updated_at", now.toString());
        report.put("active_streams", 7);
        report.put("all_time", Map.of("requests", 40, "errors", 4, "tokens", 400));
        report.put("minutes", List.of(List.of(now.getEpochSecond() / 60, 9, 1, 90)));
        r.set(
            "llmgw:replica:" + name,
            ConsoleClient.JSON.writeValueAsString(report),
            SetParams.setParams().px(Duration.ofMinutes(2).toMillis()));
        r.sadd("llmgw:replicas", name);
      }
    }
    driver.get(one.url("/admin/ui/overview"));
    refreshUntil("four replica rows", d -> all("#fleet-table tbody tr").size() == 4);
    assertEquals(
        List.of(XSS_BREAKOUT, XSS_IMG, "one", "two"),
        all("#fleet-table tbody td.replica code").stream().map(WebElement::getText).toList(),
        "each name whole in its own cell, sorted by id");
    assertEquals(List.of("9", "1", "11.1%", "90", "7"), row(XSS_IMG).subList(1, 6));
    assertTrue(
        text("#fleet-total").startsWith("all 4 replicas 24 3 12.5% 205 14"), text("#fleet-total"));
    assertEquals(
        Boolean.TRUE,
        driver.executeScript("return window.__xss === undefined"),
        "injected script ran");
    assertEquals(0, all("main img, main script").size(), "markup was injected");
    assertEquals(
        Boolean.TRUE,
        driver.executeScript(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
        "no horizontal overflow of the page");
    Number tableWidth =
        (Number)
            driver.executeScript(
                "return document.getElementById('fleet-table').getBoundingClientRect().width");
    Number panelWidth =
        (Number)
            driver.executeScript(
                "return document.getElementById('fleet').getBoundingClientRect().width");
    assertTrue(
        tableWidth.doubleValue() <= panelWidth.doubleValue(),
        "the long name wraps inside the panel: table " + tableWidth + " > panel " + panelWidth);
    assertEquals(7, all("#fleet-table thead th").size());
    for (WebElement tr : all("#fleet-table tbody tr")) {
      assertEquals(7, tr.findElements(By.tagName("td")).size(), "one cell per column");
    }
    chromium.screenshot("fleet-xss");
  }

  @Test
  @Order(3)
  void withRedisUnreachableThePanelSaysItShowsThisReplicaOnly() {
    redis.kill();
    Await.until(
        PROPAGATION,
        "replica one's stats say the fleet is unavailable",
        () -> !stats(one).at("/fleet/available").asBoolean());
    driver.get(one.url("/admin/ui/overview"));
    refreshUntil("the unreachable notice", d -> !all("#fleet-unavailable").isEmpty());
    assertEquals("Redis unreachable: showing this replica only", text("#fleet-unavailable"));
    assertEquals(1, all("#fleet-table tbody tr").size());
    List<String> self = row("one");
    assertTrue(self.get(0).contains("this replica"), self.get(0));
    assertEquals(List.of("3", "0", "0.0%", "15", "0", "–"), self.subList(1, 7));
    assertEquals(200, one.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    chromium.screenshot("fleet-unavailable");
    noSecretInAnyAdminViewOrPage();
  }

  @Test
  @Order(4)
  void noLogLineCarriesTheRedisPassword() {
    Await.until(
        PROPAGATION,
        "the once-a-minute line about Redis being unavailable in error.log",
        () -> read(LOG_DIR.resolve("error.log")).contains("127.0.0.1:" + redis.port() + "/0"));
    Await.until(
        PROPAGATION,
        "the start line naming Redis in app.log",
        () ->
            read(LOG_DIR.resolve("app.log"))
                .contains(
                    "through redis at redis://127.0.0.1:" + redis.port() + "/0 as replica one"));
    List<String> leaks = new ArrayList<>();
    int files = 0;
    try (Stream<Path> logs = Files.walk(LOG_DIR)) {
      for (Path f : logs.filter(Files::isRegularFile).toList()) {
        files++;
        if (read(f).contains(PASSWORD)) {
          leaks.add(f.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(files >= 4, "access, upstream, app and error logs searched: " + files);
    assertEquals(List.of(), leaks, "log files holding the Redis password");
  }

  /** Every admin JSON route, /metrics and /readyz of both replicas, and every console page. */
  private void noSecretInAnyAdminViewOrPage() {
    for (GatewayUnderTest gw : List.of(one, two)) {
      for (String path :
          List.of(
              "/admin/catalog",
              "/admin/stats",
              "/admin/stats?window=1440",
              "/admin/stats/breakdown",
              "/admin/keys",
              "/admin/live",
              "/admin/config",
              "/metrics",
              "/readyz")) {
        HttpResponse<String> r = gw.get(path, "X-Admin-Token", TOKEN);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertFalse(r.body().contains(PASSWORD), path + " carries the Redis password");
        assertFalse(
            r.body().contains("default:"), path + " carries the Redis URL's user-info: " + path);
      }
    }
    for (String page : ConsolePages.PAGES) {
      driver.get(one.url("/admin/ui/" + page));
      waitFor(page + " rendered", d -> !all("main > *").isEmpty());
      assertFalse(driver.getPageSource().contains(PASSWORD), page + " shows the Redis password");
    }
  }

  private static String read(Path f) {
    return LogFiles.read(f);
  }
}
