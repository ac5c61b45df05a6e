package org.llmgateway.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.llmgateway.config.EgressProxy;
import org.llmgateway.config.Provider;
import org.llmgateway.config.ProviderTransport;
import org.llmgateway.upstream.TransportStats;

/**
 * The {@code transport} part of a provider in {@code /admin/catalog}: what is configured (HTTP
 * version, bound, proxy address and where it came from, CA files) and what happened so far (version
 * in use, connections, TLS failures). Proxy credentials are never shown, only the user name.
 */
final class TransportView {
  private TransportView() {}

  static Map<String, Object> of(Provider p, Optional<TransportStats> stats) {
    ProviderTransport t = p.transport();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("http_version", t.httpVersion().configName());
    out.put("max_connections", t.maxConnections());
    out.put("proxy", t.proxy().map(TransportView::proxy).orElse(null));
    out.put("extra_ca_files", t.trustSources());
    out.put("extra_ca_certificates", t.extraTrust().size());
    out.put("http_version_in_use", stats.map(TransportStats::httpVersion).orElse("none yet"));
    out.put("connections_in_use", stats.map(TransportStats::connectionsInUse).orElse(0));
    out.put("exchanges_in_flight", stats.map(TransportStats::exchangesInFlight).orElse(0));
    out.put("tls_failures", stats.map(TransportStats::tlsFailures).orElse(0L));
    out.put(
        "stale_connection_retries", stats.map(TransportStats::staleConnectionRetries).orElse(0L));
    out.put(
        "connection_wait_timeouts", stats.map(TransportStats::connectionWaitTimeouts).orElse(0L));
    return out;
  }

  private static Map<String, Object> proxy(EgressProxy proxy) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("address", proxy.address());
    out.put("source", proxy.source());
    out.put("username", proxy.username().orElse(null));
    return out;
  }
}
