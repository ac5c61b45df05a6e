package org.llmgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llmgateway.testing.Await;

/**
 * Deploy, undeploy and redeploy the built WAR in one embedded Tomcat 11, as an operator's redeploy
 * does: after the undeploy no thread the gateway started may survive (platform or virtual),
 * Tomcat's own leak detection must stay quiet, and the undeployed web application's class loader
 * must be collectable (a weak reference to it is cleared after GC). The redeployed copy serves
 * again.
 */
class WarRedeployIT {
  private static final Path WAR =
      Path.of(System.getProperty("gateway.war", "target/llm-gateway-lite.war"));
  private static final Duration GC_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Names of the threads the gateway and its Log4j start. Its JDK HttpClient's threads are told
   * apart from the test's own by their context class loader.
   */
  private static final List<String> GATEWAY_THREAD_NAMES =
      List.of(
          "config-watcher",
          "stall-guard",
          "stats-snapshot",
          "upstream-",
          "jvm-metrics-init",
          "log-flusher",
          "Log4j2-");

  @TempDir Path tmp;
  private Tomcat tomcat;
  private Connector connector;

  /**
   * Tomcat's leak detection, run when a web app stops: threads, ThreadLocals, loading after stop.
   */
  private static final String LEAK_DETECTION_LOGGER = "org.apache.catalina.loader";

  /** Held in a field: java.util.logging keeps loggers only weakly, and this test runs the GC. */
  private final Logger leakDetection = Logger.getLogger(LEAK_DETECTION_LOGGER);

  private final List<LogRecord> tomcatWarnings = new ArrayList<>();
  private final Handler warningCollector =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          String message = String.valueOf(record.getMessage());
          if (record.getLevel().intValue() >= Level.WARNING.intValue()
              || message.contains("Illegal access")) {
            synchronized (tomcatWarnings) {
              tomcatWarnings.add(record);
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeEach
  void startTomcat() throws Exception {
    assertTrue(
        Files.isRegularFile(WAR),
        "run `mvn verify`: the WAR is built in the package phase: " + WAR);
    Files.writeString(
        Files.createDirectories(tmp.resolve("conf.d")).resolve("gateway.yaml"),
        """
        providers: {mock: {type: mock, mock: {delay_ms: 0}}}
        models: {war-demo: {provider_map: {mock: echo}}}
        """);
    leakDetection.addHandler(warningCollector);
    Path base = Files.createDirectories(tmp.resolve("tomcat"));
    Files.createDirectories(base.resolve("webapps"));
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("useVirtualThreads", "true");
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    tomcat.getHost().setAutoDeploy(false);
    tomcat.start();
  }

  @AfterEach
  void stopTomcat() throws Exception {
    client.close();
    leakDetection.removeHandler(warningCollector);
    tomcat.stop();
    tomcat.destroy();
  }

  @Test
  void anUndeployedGatewayLeavesNoThreadAndItsClassLoaderIsCollected() throws Exception {
    Context first = deploy();
    serves();
    WeakReference<ClassLoader> firstLoader =
        new WeakReference<>(first.getLoader().getClassLoader());

    tomcat.getHost().removeChild(first); // undeploy: stops and destroys the context
    first = null;

    Await.until(
        Duration.ofSeconds(10),
        "every gateway thread ended",
        () -> gatewayThreads(firstLoader.get()).isEmpty(),
        () -> gatewayThreads(firstLoader.get()));
    Await.until(
        GC_TIMEOUT,
        "the undeployed web app's class loader was collected",
        () -> {
          System.gc();
          return firstLoader.get() == null;
        });
    synchronized (tomcatWarnings) {
      assertEquals(
          List.of(),
          tomcatWarnings.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList(),
          "Tomcat warned about the undeploy (leaked threads, ThreadLocals, illegal access after stop)");
    }

    deploy();
    serves();
  }

  /**
   * Deploys the WAR at /gw into the running Tomcat, its settings as context init-params set before
   * it starts.
   */
  private Context deploy() {
    StandardContext context =
        new StandardContext(); // what Tomcat.addWebapp builds, but configured before it starts
    context.setName("/gw");
    context.setPath("/gw");
    context.setDocBase(WAR.toAbsolutePath().toString());
    context.addLifecycleListener(new ContextConfig());
    context.setJarScanner(new StandardJarScanner());
    ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
    for (Map.Entry<String, String> p :
        Map.of(
                "GATEWAY_CONFIG_DIR",
                tmp.resolve("conf.d").toString(),
                "GATEWAY_LOG_DIR",
                tmp.resolve("logs").toString())
            .entrySet()) {
      ApplicationParameter parameter = new ApplicationParameter();
      parameter.setName(p.getKey());
      parameter.setValue(p.getValue());
      parameter.setOverride(false);
      context.addApplicationParameter(parameter);
    }
    tomcat.getHost().addChild(context); // starts it: the host is running
    assertTrue(context.getState().isAvailable(), "deployed: " + context.getState());
    return context;
  }

  /**
   * Ready, a chat completion through the mock, and a metrics scrape (which waits for the JVM
   * metrics).
   */
  private void serves() throws IOException, InterruptedException {
    String base = "http://127.0.0.1:" + connector.getLocalPort() + "/gw";
    assertEquals(200, get(base + "/readyz").statusCode());
    HttpResponse<String> chat =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"war-demo\",\"messages\":[{\"role\":\"user\",\"content\":\"redeploy\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, chat.statusCode(), chat.body());
    assertTrue(chat.body().contains("redeploy"), chat.body());
    HttpResponse<String> metrics = get(base + "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM metrics are registered");
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Live threads that belong to the undeployed gateway: platform threads with its class loader as
   * context class loader, and every thread (virtual ones included, from a JDK thread dump) named
   * like one the gateway starts or running gateway code.
   */
  private static List<String> gatewayThreads(ClassLoader webapp) {
    List<String> found = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (webapp != null && t.getContextClassLoader() == webapp) {
        found.add("platform thread with the web app's class loader: " + t.getName());
      }
    }
    String dump = threadDump();
    for (String block : dump.split("\\{\\s*\"tid\"")) {
      String name = field(block, "name");
      if (block.contains("org.llmgateway.") && !block.contains("WarRedeployIT")
          || GATEWAY_THREAD_NAMES.stream().anyMatch(name::startsWith)) {
        found.add("thread " + name + ": " + block.replaceAll("\\s+", " "));
      }
    }
    return found;
  }

  private static String field(String json, String key) {
    int at = json.indexOf("\"" + key + "\": \"");
    if (at < 0) {
      return "";
    }
    int start = at + key.length() + 5;
    return json.substring(start, json.indexOf('"', start));
  }

  /** All threads, virtual ones included, in the JDK's JSON thread dump format. */
  private static String threadDump() {
    try {
      Path file = Files.createTempFile("threads", ".json");
      Files.delete(file); // dumpThreads refuses to overwrite
      try {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        return Files.readString(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new IllegalStateException("thread dump", e);
    }
  }
}
