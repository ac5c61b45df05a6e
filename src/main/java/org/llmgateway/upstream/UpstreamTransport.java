package org.llmgateway.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.llmgateway.config.EgressProxy;
import org.llmgateway.config.HttpVersionPreference;
import org.llmgateway.config.Provider;

/**
 * Connections to providers: one set of JDK clients per distinct {@link TransportProfile} (trust,
 * proxy, HTTP version), built on first use and reused across reloads while the profile is
 * unchanged. Per provider it bounds connections ({@code max_connections}), learns the HTTP version
 * the provider answers with, names TLS failures, and retries once, at no cost to the provider's
 * circuit, an exchange that died on a stale pooled connection before any response byte arrived. The
 * JDK client does not say whether a connection was reused, so "stale" means: the connection was
 * closed (EOF or reset) before any byte of an answer, and the provider's connections had been idle
 * for a second with nothing in flight. Thread-safe.
 */
public final class UpstreamTransport implements AutoCloseable {
  static {
    JdkClientProperties.apply();
  }

  private static final int PROXY_AUTH_REQUIRED = 407;

  /** How long {@link #close()} waits for the clients' own tasks to end. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  /**
   * How long the provider's connections must have been idle before a request for a failure on a
   * reused connection to look stale: under steady traffic a dropped connection is the provider's
   * failure, not a stale one.
   */
  private static final long STALE_AFTER_IDLE_NANOS = Duration.ofSeconds(1).toNanos();

  private final ExecutorService executor;
  private final Map<TransportProfile, ClientLanes> clients = new ConcurrentHashMap<>();
  private final Map<String, ProviderChannel> channels = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public UpstreamTransport() {
    this.executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("upstream-", 0).factory());
  }

  /**
   * Builds the clients of the two profiles most providers use (direct, the JDK's trust store, plain
   * HTTP/1.1 and HTTPS with HTTP/2 offered), so that the first requests do not pay for the JDK's
   * TLS and client start-up. Call off the start-up path.
   */
  public void warmUp() {
    for (HttpClient.Version version : HttpClient.Version.values()) {
      if (closed) {
        return;
      }
      TransportProfile profile = new TransportProfile(true, List.of(), Optional.empty(), version);
      clients.computeIfAbsent(profile, p -> new ClientLanes(p, executor));
    }
  }

  /**
   * One exchange: the response with its body unread, and {@link #release()} to call once when it
   * ends.
   */
  public record Exchange(HttpResponse<InputStream> response, Runnable release) {}

  /**
   * Sends the request built by {@code request} to {@code provider}: waits up to {@code timeout} for
   * one of its connections when all are in use, adds the proxy's credentials, and checks the
   * negotiated HTTP version.
   *
   * @throws TransportException for TLS failures, a connection bound reached, or HTTP/1.1 where 2 is
   *     required
   */
  public Exchange send(Provider provider, HttpRequest.Builder request, Duration timeout)
      throws IOException, InterruptedException {
    ProviderChannel channel = channel(provider);
    ProviderChannel.Binding binding = channel.binding;
    provider
        .transport()
        .proxy()
        .flatMap(EgressProxy::authorization)
        .ifPresent(auth -> request.setHeader("Proxy-Authorization", auth.reveal()));
    HttpRequest built = request.build();
    Semaphore slots = channel.needsSlot(binding.profile()) ? binding.http1Slots() : null;
    if (slots != null && !slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      channel.connectionWaitTimeouts.increment();
      throw new TransportException(
          "no free connection within the timeout: all max_connections ("
              + provider.transport().maxConnections()
              + ") are in use",
          true,
          null);
    }
    boolean http1 = slots != null;
    boolean mayBeStale = channel.idleSince(STALE_AFTER_IDLE_NANOS);
    if (http1) {
      channel.http1InFlight.incrementAndGet();
    }
    channel.inFlight.incrementAndGet();
    ClientLanes.Sent sent = null;
    try {
      sent = sendOnce(binding, built, provider, channel, mayBeStale);
      if (sent.response().statusCode() == PROXY_AUTH_REQUIRED
          && provider.transport().proxy().isPresent()) {
        // the proxy's answer to CONNECT, not the provider's: no body, nothing to relay
        throw new TransportException(
            "the egress proxy "
                + provider.transport().proxy().get().address()
                + (provider.transport().proxy().get().authorization().isPresent()
                    ? " refused the proxy credentials (407)"
                    : " requires credentials (407): set proxy.username and proxy.password_env"),
            false,
            null);
      }
      HttpClient.Version version = sent.response().version();
      channel.negotiated = version;
      if (provider.transport().httpVersion() == HttpVersionPreference.HTTP_2
          && version != HttpClient.Version.HTTP_2) {
        throw new TransportException(
            "the provider answered over HTTP/1.1 but http_version is 2", false, null);
      }
      return new Exchange(sent.response(), release(channel, sent.lane(), slots));
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (sent != null) {
        closeQuietly(sent.response());
        sent.lane().inFlight.decrementAndGet();
      }
      channel.inFlight.decrementAndGet();
      channel.lastEndNanos = System.nanoTime();
      if (http1) {
        channel.http1InFlight.decrementAndGet();
        slots.release();
      }
      throw e;
    }
  }

  private ClientLanes.Sent sendOnce(
      ProviderChannel.Binding binding,
      HttpRequest request,
      Provider provider,
      ProviderChannel channel,
      boolean mayBeStale)
      throws IOException, InterruptedException {
    int maxLanes = provider.transport().maxConnections();
    try {
      return binding.lanes().send(request, maxLanes);
    } catch (IOException e) {
      if (mayBeStale && StaleConnection.matches(e)) {
        // the provider closed a kept-alive connection before it saw our request: one clean retry on
        // a new one
        channel.staleRetries.increment();
        try {
          return binding.lanes().send(request, maxLanes);
        } catch (IOException again) {
          throw named(again, request, channel);
        }
      }
      throw named(e, request, channel);
    }
  }

  private static IOException named(IOException e, HttpRequest request, ProviderChannel channel) {
    if (e instanceof TransportException || TlsFailure.find(e).isEmpty()) {
      return e;
    }
    channel.tlsFailures.increment();
    return new TransportException(TlsFailure.describe(e, request.uri().getHost()), false, e);
  }

  private static Runnable release(ProviderChannel channel, ClientLanes.Lane lane, Semaphore slots) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        lane.inFlight.decrementAndGet();
        channel.inFlight.decrementAndGet();
        channel.lastEndNanos = System.nanoTime();
        if (slots != null) {
          channel.http1InFlight.decrementAndGet();
          slots.release();
        }
      }
    };
  }

  private ProviderChannel channel(Provider provider) {
    ProviderChannel channel = channels.get(provider.name());
    if (channel != null && channel.binding.provider() == provider) {
      return channel;
    }
    return channels.compute(
        provider.name(),
        (name, existing) -> {
          if (existing == null) {
            return new ProviderChannel(bind(provider, null));
          }
          if (existing.binding.provider() != provider) {
            existing.binding = bind(provider, existing.binding);
          }
          return existing;
        });
  }

  /**
   * The binding of a (re)loaded provider: equal profiles share clients; the slot bound survives if
   * unchanged.
   */
  private ProviderChannel.Binding bind(Provider provider, ProviderChannel.Binding previous) {
    TransportProfile profile = TransportProfile.of(provider);
    ClientLanes lanes = clients.computeIfAbsent(profile, p -> new ClientLanes(p, executor));
    int max = provider.transport().maxConnections();
    Semaphore slots =
        previous != null && previous.provider().transport().maxConnections() == max
            ? previous.http1Slots()
            : new Semaphore(max, true);
    return new ProviderChannel.Binding(provider, profile, lanes, slots);
  }

  /**
   * The transport view of a provider that has been used since start; empty before its first
   * request.
   */
  public Optional<TransportStats> stats(String provider) {
    return Optional.ofNullable(channels.get(provider)).map(ProviderChannel::stats);
  }

  private static void closeQuietly(HttpResponse<InputStream> response) {
    try {
      if (response.body() != null) {
        response.body().close();
      }
    } catch (IOException ignored) {
      // abandoning the exchange either way
    }
  }

  @Override
  public void close() {
    closed = true;
    clients.values().forEach(ClientLanes::close);
    // exchanges still open were aborted above; a body nobody reads must not hold the shutdown
    executor.shutdownNow();
    try {
      executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A kept-alive connection the provider had already closed: EOF or reset before any response byte.
   */
  static final class StaleConnection {
    private StaleConnection() {}

    static boolean matches(IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof HttpTimeoutException
            || t instanceof ConnectException
            || t instanceof SSLException
            || t instanceof TransportException) {
          return false;
        }
        if (t instanceof EOFException) {
          return true;
        }
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("connection reset")
            || m.contains("broken pipe")
            || m.contains("connection closed")
            || m.contains("eof reached")) {
          return true;
        }
      }
      return false;
    }
  }
}
