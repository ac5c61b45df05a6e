package org.llmgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llmgateway.testing.TomcatProcess;

/**
 * The built WAR ({@code target/llm-gateway-lite.war}, made in {@code package}; failsafe runs this
 * in {@code integration-test}) deployed at {@code /gw} into embedded Tomcat 11 and a Jetty 12 ee11
 * {@link WebAppContext} in this JVM, and into Tomcat 10.1 and 11 in child JVMs ({@link
 * TomcatProcess}), each on virtual threads. Each deployment starts with a broken configuration: it
 * must deploy anyway, be not ready, and become ready once the file is fixed. {@code
 * GATEWAY_LOG_DIR} is given each of the three ways a setting can be (context init-param in this
 * JVM, environment variable and system property in the child JVMs) and the four logs must land
 * there, flushed on undeploy, and nowhere near the container's working directory.
 */
class WarDeploymentIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path WAR =
      Path.of(System.getProperty("gateway.war", "target/llm-gateway-lite.war"));
  private static final Path CONTAINERS =
      Path.of(System.getProperty("gateway.containers", "target/containers"));
  private static final List<String> LOG_FILES =
      List.of("app.log", "error.log", "access.log", "upstream.log");
  private static final String BROKEN =
      """
      providers: {mock: {type: mock, mock: {delay_ms: 0}}}
      models: {war-demo: {provider_map: {ghost: echo}}}
      """;
  private static final String GOOD =
      """
      version: 1
      providers: {mock: {type: mock, mock: {delay_ms: 0}}}
      models: {war-demo: {aliases: [war-alias], provider_map: {mock: echo}}}
      """;

  private static final String ADMIN_TOKEN = "war-admin-token-1f";

  @TempDir Path tmp;
  private Path configDir;
  private Path logDir;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeEach
  void brokenConfig() throws IOException {
    assertTrue(
        Files.isRegularFile(WAR),
        "run `mvn verify`: the WAR is built in the package phase: " + WAR);
    configDir = Files.createDirectories(tmp.resolve("conf.d"));
    logDir = tmp.resolve("gateway-logs"); // not created: the gateway must make it
    Files.writeString(configDir.resolve("gateway.yaml"), BROKEN);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void theWarCarriesNoJettyAndNoServletApi() throws IOException {
    try (ZipFile war = new ZipFile(WAR.toFile())) {
      List<String> libs =
          war.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/")).toList();
      assertTrue(libs.stream().anyMatch(n -> n.contains("jackson-databind")), libs::toString);
      assertFalse(libs.stream().anyMatch(n -> n.startsWith("WEB-INF/lib/jetty-")), libs::toString);
      assertFalse(libs.stream().anyMatch(n -> n.contains("servlet-api")), libs::toString);
      assertTrue(war.getEntry("WEB-INF/web.xml") != null);
      assertTrue(war.getEntry("WEB-INF/classes/org/llmgateway/WebAppListener.class") != null);
    }
  }

  @Test
  void theWarServesOnTomcat11() throws Exception {
    Path base = Files.createDirectories(tmp.resolve("tomcat"));
    Files.createDirectories(
        base.resolve("webapps")); // without it Tomcat serves from the packed WAR, slowly
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("useVirtualThreads", "true");
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    Context context = tomcat.addWebapp("/gw", WAR.toAbsolutePath().toString());
    ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
    for (Map.Entry<String, String> p : params().entrySet()) {
      ApplicationParameter parameter = new ApplicationParameter();
      parameter.setName(p.getKey());
      parameter.setValue(p.getValue());
      parameter.setOverride(
          false); // wins over the web.xml default, like <Parameter override="false"/>
      context.addApplicationParameter(parameter);
    }
    tomcat.start();
    try {
      exercise("http://127.0.0.1:" + connector.getLocalPort() + "/gw");
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
    assertLogsFlushedTo(logDir, "Apache Tomcat/11");
  }

  @Test
  void theWarServesOnTomcat10_1WithTheLogDirFromTheEnvironment() throws Exception {
    Path scratch = tmp.resolve("tomcat-10.1");
    TomcatProcess tomcat =
        childTomcat("tomcat-10.1", scratch).env("GATEWAY_LOG_DIR", logDir.toString()).start();
    try {
      exercise("http://127.0.0.1:" + tomcat.port() + "/gw");
    } finally {
      tomcat.close();
    }
    assertEquals(0, tomcat.exitCode(), tomcat.output());
    assertFalse(tomcat.output().contains("Unknown version string"), tomcat.output());
    assertLogsFlushedTo(logDir, "Apache Tomcat/10.1");
    assertFalse(
        Files.exists(scratch.resolve("cwd/logs")), "nothing in the working directory's logs/");
  }

  @Test
  void theLogDirGivenAsASystemPropertyReachesTheLogs() throws Exception {
    Path scratch = tmp.resolve("tomcat-11");
    TomcatProcess tomcat =
        childTomcat("tomcat-11", scratch)
            .initParam("GATEWAY_LOG_DIR", tmp.resolve("loses-to-the-system-property").toString())
            .systemProperty("GATEWAY_LOG_DIR", logDir.toString())
            .start();
    try {
      exercise("http://127.0.0.1:" + tomcat.port() + "/gw");
    } finally {
      tomcat.close();
    }
    assertEquals(0, tomcat.exitCode(), tomcat.output());
    assertLogsFlushedTo(logDir, "Apache Tomcat/11");
    assertFalse(
        Files.exists(scratch.resolve("cwd/logs")), "nothing in the working directory's logs/");
    assertFalse(
        Files.exists(tmp.resolve("loses-to-the-system-property")), "the system property wins");
  }

  @Test
  void theWarServesOnJetty12Ee11() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    VirtualThreadPool virtual = new VirtualThreadPool();
    virtual.setName("jetty-vt");
    threads.setVirtualThreadsExecutor(virtual);
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/gw");
    webapp.setWar(WAR.toAbsolutePath().toString());
    webapp.setTempDirectory(Files.createDirectories(tmp.resolve("jetty-work")).toFile());
    webapp.addOverrideDescriptor(
        overrideDescriptor().toString()); // Jetty's way to override web.xml context-params
    server.setHandler(webapp);
    server.start();
    try {
      assertTrue(webapp.isAvailable(), "the web app failed to deploy");
      exercise("http://127.0.0.1:" + connector.getLocalPort() + "/gw");
    } finally {
      server.stop();
    }
    assertLogsFlushedTo(logDir, "jetty/12");
  }

  /** The in-JVM deployments get GATEWAY_LOG_DIR as a context init-param, the third way. */
  private Map<String, String> params() {
    return Map.of(
        "GATEWAY_CONFIG_DIR",
        configDir.toString(),
        "GATEWAY_RELOAD_INTERVAL_SEC",
        "1",
        "GATEWAY_LOG_DIR",
        logDir.toString(),
        "GATEWAY_ADMIN_TOKEN",
        ADMIN_TOKEN,
        "GATEWAY_CONFIG_HISTORY_DIR",
        tmp.resolve("history").toString());
  }

  /** Tomcat in a child JVM with the in-JVM deployments' init-params, except the log directory. */
  private TomcatProcess.Builder childTomcat(String version, Path scratch) {
    TomcatProcess.Builder builder =
        TomcatProcess.builder(CONTAINERS.resolve(version), WAR, scratch);
    params()
        .forEach(
            (name, value) -> {
              if (!name.equals("GATEWAY_LOG_DIR")) {
                builder.initParam(name, value);
              }
            });
    return builder;
  }

  /**
   * After undeploy: the four logs exist in {@code dir}, flushed, with the deployment and the chat
   * request.
   */
  private static void assertLogsFlushedTo(Path dir, String serverInfo) throws IOException {
    for (String file : LOG_FILES) {
      assertTrue(Files.isRegularFile(dir.resolve(file)), file + " in " + dir);
    }
    String app = Files.readString(dir.resolve("app.log"));
    assertTrue(
        app.contains("LLM Gateway Lite deployed at context path '/gw' on " + serverInfo), app);
    assertTrue(app.contains("LLM Gateway Lite undeployed from '/gw'"), app);
    String error = Files.readString(dir.resolve("error.log"));
    assertTrue(error.contains("without a valid configuration"), error);
    String access = Files.readString(dir.resolve("access.log"));
    assertTrue(
        access.lines().anyMatch(l -> l.contains("chat/completions") && l.contains("war-demo")),
        access);
  }

  private Path overrideDescriptor() throws IOException {
    StringBuilder xml =
        new StringBuilder(
            """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.1">
        """);
    params()
        .forEach(
            (k, v) ->
                xml.append("  <context-param><param-name>")
                    .append(k)
                    .append("</param-name><param-value>")
                    .append(v)
                    .append("</param-value></context-param>\n"));
    xml.append("</web-app>\n");
    return Files.writeString(tmp.resolve("override-web.xml"), xml);
  }

  /**
   * Deployed though broken → not ready; fixed → models and a chat completion through the mock
   * provider.
   */
  private void exercise(String base) throws Exception {
    assertEquals(200, get(base + "/healthz").statusCode());
    HttpResponse<String> notReady = get(base + "/readyz");
    assertEquals(503, notReady.statusCode(), notReady.body());
    assertTrue(notReady.body().contains("ghost"), notReady.body());

    Files.writeString(configDir.resolve("gateway.yaml"), GOOD);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    HttpResponse<String> ready = get(base + "/readyz");
    while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      ready = get(base + "/readyz");
    }
    assertEquals(200, ready.statusCode(), "ready once the file is fixed: " + ready.body());

    HttpResponse<String> models = get(base + "/v1/models");
    assertEquals(200, models.statusCode(), models.body());
    assertEquals(
        List.of("war-demo"),
        JSON.readTree(models.body())
            .path("data")
            .valueStream()
            .map(m -> m.path("id").asText())
            .toList());

    HttpResponse<String> chat =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"war-alias\",\"messages\":[{\"role\":\"user\",\"content\":\"hello from the war\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, chat.statusCode(), chat.body());
    JsonNode body = JSON.readTree(chat.body());
    assertEquals(
        "hello from the war",
        body.path("choices").path(0).path("message").path("content").asText());

    HttpResponse<String> unknown = get(base + "/nope");
    assertEquals(404, unknown.statusCode());
    assertTrue(
        unknown.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    console(base);
  }

  /**
   * The console under the context path: its assets come from the WAR's classes, the cookie is
   * scoped to it.
   */
  private void console(String base) throws Exception {
    String context = URI.create(base).getPath();
    HttpResponse<String> login =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "token=" + ADMIN_TOKEN + "&next=" + context + "/admin/ui/config"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(303, login.statusCode(), login.body());
    assertEquals(
        context + "/admin/ui/config", login.headers().firstValue("Location").orElseThrow());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.contains("; Path=" + context + "/admin;"), cookie);
    HttpResponse<String> page =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/admin/ui/config"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("../assets/console.js"), page.body());
    assertEquals(200, get(base + "/admin/assets/console.js").statusCode());
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
