package org.llmgateway.observe;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.llmgateway.routing.Circuits;
import org.llmgateway.routing.Snapshot;

/**
 * Prometheus metrics of one gateway, in its own {@link PrometheusRegistry} (several gateways can
 * share a JVM). Label values are config names, key ids, routes and statuses only, never secrets;
 * model labels carry canonical model names (bounded by the configuration), never what a client
 * sent. The request path only increments cached data points: each label combination is looked up
 * once in a {@link ConcurrentHashMap} keyed by a small record.
 */
public final class Metrics {
  /** The content type of {@link #write}: Prometheus text format 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final double[] LATENCY_BUCKETS = {
    .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300
  };
  private static final String NONE = "none";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Thread jvmMetrics;
  private volatile JvmInstrumentation jvm;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;
  private final Histogram latency;
  private final Histogram ttfb;
  private final Counter attempts;
  private final Counter cooldowns;
  private final Counter tokens;
  private final Counter reloads;
  private final Counter keyWaits;
  private final Counter keyWaitSeconds;
  private final Counter rateLimited;
  private final Gauge activeStreams;
  private final Gauge lastReloadOk;
  private final AtomicBoolean watching = new AtomicBoolean();

  private final Map<RequestLabels, CounterDataPoint> requestPoints = new ConcurrentHashMap<>();
  private final Map<RouteModel, DistributionDataPoint> latencyPoints = new ConcurrentHashMap<>();
  private final Map<RouteModel, DistributionDataPoint> ttfbPoints = new ConcurrentHashMap<>();
  private final Map<Pair, CounterDataPoint> attemptPoints = new ConcurrentHashMap<>();
  private final Map<Pair, CounterDataPoint> cooldownPoints = new ConcurrentHashMap<>();
  private final Map<Pair, CounterDataPoint> tokenPoints = new ConcurrentHashMap<>();
  private final Map<Pair, CounterDataPoint> rateLimitedPoints = new ConcurrentHashMap<>();

  private record RequestLabels(String route, String model, String provider, int status) {}

  private record RouteModel(String route, String model) {}

  private record Pair(String a, String b) {}

  public Metrics() {
    requests =
        Counter.builder()
            .name("gateway_requests_total")
            .help("Client requests by route, canonical model, final provider and response status")
            .labelNames("route", "model", "provider", "status")
            .withoutExemplars()
            .register(registry);
    latency =
        Histogram.builder()
            .name("gateway_request_duration_seconds")
            .help("Client request duration, from the request line to the last byte")
            .labelNames("route", "model")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .withoutExemplars()
            .register(registry);
    ttfb =
        Histogram.builder()
            .name("gateway_time_to_first_byte_seconds")
            .help("Time from the request to the first response byte relayed from an upstream")
            .labelNames("route", "model")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .withoutExemplars()
            .register(registry);
    attempts =
        Counter.builder()
            .name("gateway_upstream_attempts_total")
            .help(
                "Upstream attempts by provider and outcome (ok, next_key, next_provider, relayed, network_error)")
            .labelNames("provider", "outcome")
            .withoutExemplars()
            .register(registry);
    cooldowns =
        Counter.builder()
            .name("gateway_key_cooldowns_total")
            .help("Provider keys put into cooldown, by provider and key id")
            .labelNames("provider", "key_id")
            .withoutExemplars()
            .register(registry);
    tokens =
        Counter.builder()
            .name("gateway_tokens_total")
            .help("Tokens reported by upstreams, by canonical model and kind (prompt, completion)")
            .labelNames("model", "kind")
            .withoutExemplars()
            .register(registry);
    reloads =
        Counter.builder()
            .name("gateway_config_reloads_total")
            .help("Configuration loads by result (ok, failed, unchanged)")
            .labelNames("result")
            .withoutExemplars()
            .register(registry);
    for (ReloadResult result : ReloadResult.values()) {
      reloads.initLabelValues(result.label());
    }
    keyWaits =
        Counter.builder()
            .name("gateway_key_waits_total")
            .help("Requests that waited for a cooling key to come back instead of failing")
            .withoutExemplars()
            .register(registry);
    keyWaitSeconds =
        Counter.builder()
            .name("gateway_key_wait_seconds_total")
            .help("Time requests spent waiting for cooling keys")
            .withoutExemplars()
            .register(registry);
    rateLimited =
        Counter.builder()
            .name("gateway_rate_limited_total")
            .help(
                "Requests refused with 429 by their gateway key's own rpm/tpm limit, by key id and limit (requests, tokens)")
            .labelNames("gateway_key_id", "limit")
            .withoutExemplars()
            .register(registry);
    activeStreams =
        Gauge.builder()
            .name("gateway_active_streams")
            .help("Streaming responses being relayed now")
            .withoutExemplars()
            .register(registry);
    lastReloadOk =
        Gauge.builder()
            .name("gateway_config_last_reload_success")
            .help(
                "1 if the last configuration load succeeded, 0 if it failed (the last good one keeps serving)")
            .withoutExemplars()
            .register(registry);
    CounterWithCallback.builder()
        .name("gateway_log_events_dropped_total")
        .help(
            "Log lines dropped because the asynchronous loggers' buffer was full (the disk could not keep up)")
        .labelNames("log")
        .callback(
            cb -> {
              LogDropPolicy.Dropped d = LogDropPolicy.dropped();
              cb.call(d.access(), "access");
              cb.call(d.upstream(), "upstream");
              cb.call(d.app(), "app");
            })
        .register(registry);
    Gauge.builder()
        .name("gateway_up")
        .help("1 while the gateway serves")
        .withoutExemplars()
        .register(registry)
        .set(1);
    // JVM metrics cost ~0.3 s of class loading and MBean lookups: register them off the start-up
    // path; the first
    // scrape waits for them.
    jvmMetrics =
        Thread.ofVirtual()
            .name("jvm-metrics-init")
            .start(() -> jvm = JvmInstrumentation.register(registry));
  }

  /**
   * Adds the gauges read at scrape time: circuit state per configured provider (0 closed, 1 open, 2
   * half-open) and the active configuration. Call once, when the gateway exists.
   */
  public void watch(Supplier<Optional<Snapshot>> snapshot, Circuits circuits) {
    if (!watching.compareAndSet(false, true)) {
      return;
    }
    GaugeWithCallback.builder()
        .name("gateway_circuit_state")
        .help(
            "Circuit breaker state per provider: 0 closed, 1 open (demoted to the end of every plan), 2 half-open")
        .labelNames("provider")
        .callback(cb -> perProvider(snapshot, p -> cb.call(circuitValue(circuits.state(p)), p)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("gateway_circuit_failure_rate")
        .help(
            "Per provider: the failure rate (0-1) over the breaker window while closed, or the one that opened it")
        .labelNames("provider")
        .callback(
            cb ->
                perProvider(
                    snapshot, p -> cb.call(circuits.view(p).failureRatePercent() / 100.0, p)))
        .register(registry);
    CounterWithCallback.builder()
        .name("gateway_circuit_opens_total")
        .help(
            "Times each provider's circuit opened (on a failure rate, a run of failures, or failed half-open probes)")
        .labelNames("provider")
        .callback(cb -> perProvider(snapshot, p -> cb.call(circuits.view(p).opens(), p)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("gateway_config_info")
        .help("The active configuration: hash prefix and counts as labels, value 1")
        .labelNames("hash", "providers", "models", "gateway_keys")
        .callback(
            cb ->
                snapshot
                    .get()
                    .ifPresent(
                        s ->
                            cb.call(
                                1,
                                s.config().hash().substring(0, 12),
                                Integer.toString(s.config().providers().size()),
                                Integer.toString(s.config().models().size()),
                                Integer.toString(s.config().gatewayKeys().size()))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("gateway_config_loaded_timestamp_seconds")
        .help("When the active configuration was loaded (Unix seconds)")
        .callback(
            cb -> snapshot.get().ifPresent(s -> cb.call(s.loadedAt().toEpochMilli() / 1000.0)))
        .register(registry);
  }

  /** Runs {@code action} for each provider of the active configuration (none before one loaded). */
  private static void perProvider(Supplier<Optional<Snapshot>> snapshot, Consumer<String> action) {
    snapshot.get().ifPresent(s -> s.config().providers().keySet().forEach(action));
  }

  static double circuitValue(Circuits.State state) {
    return switch (state) {
      case CLOSED -> 0;
      case OPEN -> 1;
      case HALF_OPEN -> 2;
    };
  }

  /** Writes every metric in the Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
  public void write(OutputStream out) throws IOException {
    awaitJvmMetrics();
    writer.write(out, registry.scrape());
  }

  /**
   * Removes what would outlive this registry (the JVM metrics' GC notification listeners on the
   * platform MXBeans, which would pin an undeployed web application's class loader). Call once the
   * gateway has stopped serving.
   */
  public void close() {
    awaitJvmMetrics();
    JvmInstrumentation registered = jvm;
    if (registered != null) {
      registered.close();
    }
  }

  /** The registry, for embedding applications that expose it elsewhere. */
  public PrometheusRegistry registry() {
    return registry;
  }

  void finished(Exchange e) {
    String route = e.route;
    String model = e.model.isEmpty() ? NONE : e.model;
    String provider = e.provider.isEmpty() ? NONE : e.provider;
    requestPoints
        .computeIfAbsent(
            new RequestLabels(route, model, provider, e.status),
            k ->
                requests.labelValues(
                    k.route(), k.model(), k.provider(), Integer.toString(k.status())))
        .inc();
    RouteModel rm = new RouteModel(route, model);
    latencyPoints
        .computeIfAbsent(rm, k -> latency.labelValues(k.route(), k.model()))
        .observe((e.endNanos - e.startNanos) / 1e9);
    if (e.ttfbNanos >= 0) {
      ttfbPoints
          .computeIfAbsent(rm, k -> ttfb.labelValues(k.route(), k.model()))
          .observe((e.ttfbNanos - e.startNanos) / 1e9);
    }
    if (e.promptTokens > 0) {
      tokenPoints
          .computeIfAbsent(new Pair(model, "prompt"), k -> tokens.labelValues(k.a(), k.b()))
          .inc(e.promptTokens);
    }
    if (e.completionTokens > 0) {
      tokenPoints
          .computeIfAbsent(new Pair(model, "completion"), k -> tokens.labelValues(k.a(), k.b()))
          .inc(e.completionTokens);
    }
  }

  void attempt(AttemptRecord a) {
    attemptPoints
        .computeIfAbsent(
            new Pair(a.provider().name(), a.outcome().label()),
            k -> attempts.labelValues(k.a(), k.b()))
        .inc();
  }

  void cooledDown(String provider, String keyId) {
    cooldownPoints
        .computeIfAbsent(new Pair(provider, keyId), k -> cooldowns.labelValues(k.a(), k.b()))
        .inc();
  }

  void waitedForKey(long nanos) {
    keyWaits.inc();
    keyWaitSeconds.inc(nanos / 1e9);
  }

  void rateLimited(String gatewayKeyId, String limit) {
    rateLimitedPoints
        .computeIfAbsent(new Pair(gatewayKeyId, limit), k -> rateLimited.labelValues(k.a(), k.b()))
        .inc();
  }

  void streamOpened() {
    activeStreams.inc();
  }

  void streamClosed() {
    activeStreams.dec();
  }

  void reloaded(ReloadResult result) {
    reloads.labelValues(result.label()).inc();
    if (result != ReloadResult.UNCHANGED) {
      lastReloadOk.set(result == ReloadResult.OK ? 1 : 0);
    }
  }

  private void awaitJvmMetrics() {
    try {
      jvmMetrics.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
