package org.llmgateway.upstream;

import java.net.http.HttpClient;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.llmgateway.config.Provider;

/**
 * The transport state of one provider, kept by name across reloads: its clients and connection
 * bound (rebound when a reload changes the provider), the HTTP version it last answered with, and
 * counters for the admin view and metrics.
 */
final class ProviderChannel {
  /** What the current configuration of the provider maps to; replaced as a whole on a reload. */
  record Binding(
      Provider provider, TransportProfile profile, ClientLanes lanes, Semaphore http1Slots) {}

  volatile Binding binding;

  /** The version of the provider's last answer; null before the first. */
  volatile HttpClient.Version negotiated;

  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger http1InFlight = new AtomicInteger();
  final LongAdder tlsFailures = new LongAdder();
  final LongAdder staleRetries = new LongAdder();
  final LongAdder connectionWaitTimeouts = new LongAdder();

  /**
   * When the last exchange ended (nanoTime), to tell whether the provider's pooled connections sat
   * idle.
   */
  volatile long lastEndNanos = System.nanoTime();

  /**
   * Whether an exchange starting now may be handed a connection the provider has closed unseen: the
   * provider answered before, nothing is in flight and the connections have been idle for {@code
   * idleNanos} (servers close idle keep-alive connections after a few seconds: gunicorn 2 s,
   * uvicorn 5 s).
   */
  boolean idleSince(long idleNanos) {
    return negotiated != null
        && inFlight.get() == 0
        && System.nanoTime() - lastEndNanos >= idleNanos;
  }

  ProviderChannel(Binding binding) {
    this.binding = binding;
  }

  /**
   * Whether a new exchange needs one of the {@code max_connections} HTTP/1.1 slots: always, unless
   * the provider is known to answer over HTTP/2, where streams share connections and the lanes
   * bound the connections instead.
   */
  boolean needsSlot(TransportProfile profile) {
    return profile.version() == HttpClient.Version.HTTP_1_1
        || negotiated != HttpClient.Version.HTTP_2;
  }

  /** Open connections in use now: one per HTTP/1.1 exchange in flight, one per busy HTTP/2 lane. */
  int connectionsInUse() {
    Binding b = binding;
    return http1InFlight.get()
        + (negotiated == HttpClient.Version.HTTP_2 ? b.lanes().busyLanes() : 0);
  }

  TransportStats stats() {
    Binding b = binding;
    HttpClient.Version v = negotiated;
    return new TransportStats(
        v == null ? "none yet" : v == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1",
        b.profile().version() == HttpClient.Version.HTTP_2
            ? "h2 by ALPN, else HTTP/1.1"
            : "HTTP/1.1",
        connectionsInUse(),
        inFlight.get(),
        b.provider().transport().maxConnections(),
        tlsFailures.sum(),
        staleRetries.sum(),
        connectionWaitTimeouts.sum(),
        b.provider()
            .transport()
            .proxy()
            .map(p -> p.address() + " (" + p.source() + ")")
            .orElse("direct"),
        b.provider().transport().trustSources(),
        b.provider().sslVerify());
  }
}
