package org.llmgateway;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.llmgateway.config.ConfigException;
import org.llmgateway.config.ConfigLoader;
import org.llmgateway.config.GatewayConfig;
import org.llmgateway.core.Gateway;
import org.llmgateway.core.Settings;
import org.llmgateway.http.HttpServer;

/**
 * The embedded gateway: {@code java -jar llm-gateway-lite.jar} serves; {@code --check-config
 * [DIR|FILE]} validates a configuration, prints a redacted summary or every error, and exits 0 or
 * 1.
 */
public final class Main {
  /** The JDK HttpClient's read buffer per upstream connection (heap), see main. */
  private static final int UPSTREAM_READ_BUFFER_BYTES = 2048;

  private Main() {}

  public static void main(String[] args) throws Exception {
    // Log4j sees the Servlet API and would assume a web app (no shutdown hook); we stop it
    // ourselves, in order.
    System.setProperty("log4j2.isWebapp", "false");
    // The JDK HttpClient keeps one buffer of this size per connection being read (its last read's
    // buffer stays referenced while the stream waits for the next event): 16 KiB by default, which
    // thousands of open upstream streams turn into hundreds of MB. SSE events are a few hundred
    // bytes; a larger answer only takes more reads.
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", String.valueOf(UPSTREAM_READ_BUFFER_BYTES));
    }
    if (args.length > 0 && args[0].equals("--check-config")) {
      System.exit(
          CheckConfig.run(args.length > 1 ? Path.of(args[1]) : null, System.out, System.err));
    }
    if (args.length > 0) {
      System.err.println("usage: java -jar llm-gateway-lite.jar [--check-config [DIR|FILE]]");
      System.exit(2);
    }
    Settings settings;
    try {
      settings = Settings.fromEnvironment();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    }
    // log4j2.xml reads this property first: GATEWAY_LOG_DIR given as a system property then works
    // like the env var
    if (System.getProperty("gateway.log.dir") == null) {
      System.setProperty("gateway.log.dir", settings.logDir().toString());
    }
    Runtime runtime = Runtime.getRuntime();
    try {
      Server server = Server.start(settings, Clock.systemUTC());
      runtime.addShutdownHook(
          new Thread(
              () -> {
                server.close();
                LogManager.getLogger(Main.class).info("LLM Gateway Lite stopped");
                LogManager.shutdown();
              },
              "shutdown"));
      long ready = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
      LogManager.getLogger(Main.class)
          .info(
              "LLM Gateway Lite ready on http://{}:{} in {} ms (JVM start to ready)",
              settings.host(),
              server.port(),
              ready);
    } catch (ConfigException e) {
      System.err.println("invalid configuration, not starting:");
      e.errors().forEach(line -> System.err.println("  " + line));
      LogManager.shutdown();
      System.exit(1);
    }
  }

  /** {@code --check-config}: validate, print a redacted summary or every error. */
  static final class CheckConfig {
    private CheckConfig() {}

    static int run(Path target, PrintStream out, PrintStream err) {
      Settings settings = Settings.fromEnvironment();
      Path path = target != null ? target : settings.configFile().orElse(settings.configDir());
      ConfigLoader loader = new ConfigLoader(System::getenv);
      try {
        GatewayConfig config =
            path.toFile().isDirectory() ? loader.loadDirectory(path) : loader.loadFile(path);
        out.println("configuration OK: " + path);
        out.println("files: " + config.sources().size());
        config.sources().forEach(s -> out.println("  " + s));
        out.println("providers: " + config.providers().size());
        config
            .providers()
            .values()
            .forEach(
                p ->
                    out.println(
                        "  "
                            + p.name()
                            + " ("
                            + p.type().configName()
                            + ") "
                            + p.baseUrl().map(Object::toString).orElse("in-process")
                            + " weight="
                            + p.weight()
                            + " keys="
                            + p.keys().stream().map(k -> k.id()).toList()
                            + " endpoints="
                            + p.endpoints().keySet().stream()
                                .map(o -> o.configName())
                                .sorted()
                                .toList()));
        out.println("models: " + config.models().size());
        config
            .models()
            .values()
            .forEach(
                m ->
                    out.println(
                        "  "
                            + m.name()
                            + " aliases="
                            + m.aliases()
                            + " providers="
                            + m.providerMap().keySet()
                            + (m.defaultProviders().isEmpty()
                                ? ""
                                : " default=" + m.defaultProviders())
                            + m.allowProviders().map(a -> " allow=" + List.copyOf(a)).orElse("")));
        out.println("gateway keys: " + config.gatewayKeys().size());
        config
            .gatewayKeys()
            .forEach(
                k ->
                    out.println(
                        "  "
                            + k.keyId()
                            + " tenant="
                            + k.tenantId()
                            + " enabled="
                            + k.enabled()
                            + k.allowedModels()
                                .map(a -> " allowed_models=" + List.copyOf(a))
                                .orElse("")));
        return 0;
      } catch (ConfigException e) {
        err.println("configuration INVALID: " + path);
        e.errors().forEach(line -> err.println("  " + line));
        return 1;
      }
    }
  }

  /** The embedded gateway: the {@link Service} served by Jetty. */
  public record Server(Service service, HttpServer http) implements AutoCloseable {
    /**
     * Starts serving; an invalid configuration throws {@link ConfigException} listing every
     * problem.
     */
    public static Server start(Settings settings, Clock clock) throws Exception {
      Service service = Service.start(settings, clock, true);
      HttpServer http = new HttpServer(settings, service.servlet());
      try {
        http.start();
      } catch (Exception e) {
        service.close();
        throw e;
      }
      return new Server(service, http);
    }

    public Gateway gateway() {
      return service.gateway();
    }

    public int port() {
      return http.port();
    }

    /**
     * Graceful: stop accepting, let requests and streams in flight finish within the grace period,
     * then stop the service. Log4j stays up (the JVM's shutdown hook stops it after this).
     */
    @Override
    public void close() {
      try {
        http.stop();
      } catch (Exception e) {
        LogManager.getLogger(Main.class).warn("error while stopping the HTTP server", e);
      }
      service.close();
    }
  }
}
