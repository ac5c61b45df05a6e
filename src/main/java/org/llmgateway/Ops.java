package org.llmgateway;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.llmgateway.admin.AdminEndpoint;
import org.llmgateway.http.Endpoint;
import org.llmgateway.http.ErrorKind;
import org.llmgateway.http.GatewayException;
import org.llmgateway.http.MetricsEndpoint;
import org.llmgateway.observe.LogFlusher;
import org.llmgateway.observe.Metrics;
import org.llmgateway.observe.Stats;
import org.llmgateway.observe.StatsFile;
import org.llmgateway.observe.Telemetry;

/**
 * Assembles a gateway with its telemetry and the operations endpoints (metrics, admin), and owns the stats snapshot
 * file and the log flusher: {@link #start()} restores the file before traffic and starts the periodic writer and
 * flusher, {@link #stop()} writes the file last and stops both.
 */
public record Ops(Gateway gateway, Telemetry telemetry, Endpoint metricsEndpoint, Endpoint adminEndpoint,
    Optional<StatsFile> statsFile, AtomicReference<LogFlusher> logFlusher) {
  /** How often the stats snapshot file is written while running. */
  static final Duration SNAPSHOT_INTERVAL = Duration.ofSeconds(30);

  public static Ops create(Settings settings, Clock clock) {
    Stats stats = new Stats(clock);
    Metrics metrics = new Metrics();
    Telemetry telemetry = new Telemetry(settings.logBodyMaxBytes(), metrics, stats);
    Gateway gateway = new Gateway(settings, clock, telemetry);
    metrics.watch(gateway::snapshot, gateway.circuits());
    Endpoint notFound = (rq, rs, ex) -> {
      throw new GatewayException(ErrorKind.NOT_FOUND, "unknown route: " + rq.getMethod() + " " + rq.getRequestURI(),
          "not_found");
    };
    AdminEndpoint.Runtime runtime = new AdminEndpoint.Runtime(version(), clock.instant());
    Endpoint admin = settings.adminToken().map(t -> AdminEndpoint.create(gateway, stats, runtime, t)).orElse(notFound);
    Optional<StatsFile> file = settings.statsSnapshotPath()
        .map(p -> new StatsFile(p, stats, gateway.keys(), clock, SNAPSHOT_INTERVAL));
    return new Ops(gateway, telemetry, new MetricsEndpoint(metrics), admin, file, new AtomicReference<>());
  }

  /** Restores the stats snapshot (if configured) and starts writing it periodically. Call before serving. */
  public void start() {
    logFlusher.set(LogFlusher.start());
    statsFile.ifPresent(f -> {
      f.load();
      f.start();
    });
  }

  /** Writes the stats snapshot a last time and releases the metrics. Call after the HTTP server stopped. */
  public void stop() {
    statsFile.ifPresent(StatsFile::close);
    LogFlusher flusher = logFlusher.getAndSet(null);
    if (flusher != null) {
      flusher.close();
    }
    telemetry.metrics().close();
  }

  private static String version() {
    String v = Ops.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
