package org.llmgateway.upstream;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.llmgateway.config.ProviderType;
import org.llmgateway.routing.Snapshot;

/**
 * Per-provider transport metrics, read at scrape time from the transport's own counters (nothing on
 * the request path): the HTTP version in use, connections in use, exchanges in flight, TLS failures
 * and stale-connection retries.
 */
public final class TransportGauges {
  private TransportGauges() {}

  public static void register(
      PrometheusRegistry registry,
      Supplier<Optional<Snapshot>> snapshot,
      Function<String, Optional<TransportStats>> stats) {
    GaugeWithCallback.builder()
        .name("gateway_upstream_http_version_info")
        .help("The HTTP version of the provider's last answer (HTTP/2, HTTP/1.1), value 1")
        .labelNames("provider", "version")
        .callback(cb -> each(snapshot, stats, (name, s) -> cb.call(1, name, s.httpVersion())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("gateway_upstream_connections_in_use")
        .help(
            "Open upstream connections carrying exchanges now (idle keep-alive connections not counted)")
        .labelNames("provider")
        .callback(cb -> each(snapshot, stats, (name, s) -> cb.call(s.connectionsInUse(), name)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("gateway_upstream_exchanges_in_flight")
        .help("Upstream requests and streams open now")
        .labelNames("provider")
        .callback(cb -> each(snapshot, stats, (name, s) -> cb.call(s.exchangesInFlight(), name)))
        .register(registry);
    CounterWithCallback.builder()
        .name("gateway_upstream_tls_failures")
        .help("TLS failures (untrusted or wrong-host certificates, refused handshakes) by provider")
        .labelNames("provider")
        .callback(cb -> each(snapshot, stats, (name, s) -> cb.call(s.tlsFailures(), name)))
        .register(registry);
    CounterWithCallback.builder()
        .name("gateway_upstream_stale_connection_retries")
        .help(
            "Requests resent once because a kept-alive connection was already closed by the provider")
        .labelNames("provider")
        .callback(
            cb -> each(snapshot, stats, (name, s) -> cb.call(s.staleConnectionRetries(), name)))
        .register(registry);
  }

  private interface Each {
    void accept(String provider, TransportStats stats);
  }

  private static void each(
      Supplier<Optional<Snapshot>> snapshot,
      Function<String, Optional<TransportStats>> stats,
      Each each) {
    snapshot
        .get()
        .ifPresent(
            s ->
                s.config().providers().values().stream()
                    .filter(p -> p.type() != ProviderType.MOCK)
                    .forEach(p -> stats.apply(p.name()).ifPresent(t -> each.accept(p.name(), t))));
  }
}
