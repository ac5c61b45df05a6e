package org.llmgateway;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.llmgateway.admin.AdminEndpoint;
import org.llmgateway.config.ConfigException;
import org.llmgateway.core.ConfigWatcher;
import org.llmgateway.core.Gateway;
import org.llmgateway.core.Settings;
import org.llmgateway.fleet.Fleet;
import org.llmgateway.fleet.RedisLink;
import org.llmgateway.http.Endpoint;
import org.llmgateway.http.GatewayServlet;
import org.llmgateway.http.MetricsEndpoint;
import org.llmgateway.observe.LogFlusher;
import org.llmgateway.observe.Metrics;
import org.llmgateway.observe.Stats;
import org.llmgateway.observe.StatsFile;
import org.llmgateway.observe.Telemetry;
import org.llmgateway.upstream.TransportGauges;

/**
 * The one start and stop sequence of a gateway, shared by the embedded server ({@link Main}) and
 * the WAR ({@link WebAppListener}): assemble the gateway with its telemetry and operations
 * endpoints, load the configuration, restore the stats snapshot, start the log flusher and the
 * configuration watcher; {@link #close()} stops them in reverse order and writes the stats snapshot
 * last. Serving the {@link #servlet()} (Jetty, or the container) is the caller's, between the two.
 */
public final class Service implements AutoCloseable {
  /** How often the stats snapshot file is written while running. */
  static final Duration SNAPSHOT_INTERVAL = Duration.ofSeconds(30);

  private static final Logger LOG = LogManager.getLogger(Service.class);

  private final Gateway gateway;
  private final Metrics metrics;
  private final GatewayServlet servlet;
  private final Optional<StatsFile> statsFile;
  private final LogFlusher logFlusher;
  private final ConfigWatcher watcher;
  private final Optional<Fleet> fleet;

  private Service(
      Gateway gateway,
      Metrics metrics,
      GatewayServlet servlet,
      Optional<StatsFile> statsFile,
      Optional<Fleet> fleet) {
    this.gateway = gateway;
    this.metrics = metrics;
    this.servlet = servlet;
    this.statsFile = statsFile;
    this.fleet = fleet;
    statsFile.ifPresent(
        f -> {
          f.load();
          f.start();
        });
    this.logFlusher = LogFlusher.start();
    this.watcher = ConfigWatcher.start(gateway);
  }

  /**
   * Starts a gateway. With {@code requireValidConfig} an invalid configuration throws {@link
   * ConfigException} listing every problem (the embedded server exits); without it the gateway
   * starts unready and the watcher retries (the WAR's deployment goes on, {@code /readyz} answers
   * 503).
   */
  public static Service start(Settings settings, Clock clock, boolean requireValidConfig) {
    Stats stats = new Stats(clock);
    Metrics metrics = new Metrics();
    Telemetry telemetry = new Telemetry(settings.logBodyMaxBytes(), metrics, stats);
    Optional<RedisLink> redis =
        settings.fleet().map(f -> new RedisLink(f, clock, metrics.registry()));
    Gateway gateway = new Gateway(settings, clock, telemetry, redis);
    Gateway.Reload first = gateway.reload();
    if (!first.ok()) {
      if (requireValidConfig) {
        gateway.close();
        throw new ConfigException(first.errors());
      }
      // Gateway.reload() has logged every error
      LOG.error(
          "started without a valid configuration from {}: /readyz answers 503 until it is fixed",
          settings.configFile().orElse(settings.configDir()).toAbsolutePath());
    }
    Optional<Fleet> fleet =
        redis.map(
            link ->
                Fleet.start(
                    link,
                    clock,
                    gateway.keys(),
                    gateway.circuits(),
                    gateway::providerNames,
                    stats,
                    metrics.registry()));
    metrics.watch(gateway::snapshot, gateway.circuits());
    TransportGauges.register(metrics.registry(), gateway::snapshot, gateway::transportStats);
    Optional<Endpoint> admin =
        settings
            .adminToken()
            .map(
                t ->
                    AdminEndpoint.create(
                        gateway,
                        telemetry,
                        new AdminEndpoint.Runtime(version(), clock.instant(), fleet),
                        t));
    GatewayServlet servlet = new GatewayServlet(gateway, new MetricsEndpoint(metrics), admin);
    return new Service(
        gateway,
        metrics,
        servlet,
        settings
            .statsSnapshotPath()
            .map(p -> new StatsFile(p, stats, gateway.keys(), clock, SNAPSHOT_INTERVAL)),
        fleet);
  }

  public Gateway gateway() {
    return gateway;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** The one servlet that serves every route, for {@code /*}. */
  public GatewayServlet servlet() {
    return servlet;
  }

  /**
   * Stops watching, writes the stats snapshot a last time, flushes the logs, and stops every thread
   * and JVM-wide listener the gateway started (a web app's undeploy must leave nothing behind).
   * Call after serving stopped.
   */
  @Override
  public void close() {
    watcher.close();
    statsFile.ifPresent(StatsFile::close);
    logFlusher.close();
    fleet.ifPresent(Fleet::close);
    gateway.close();
    metrics.close();
  }

  private static String version() {
    String v = Service.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
