package org.llmgateway.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK clients of one {@link TransportProfile}. Over HTTP/1.1 one client serves everything (its
 * pool opens a connection per exchange in flight). Over HTTP/2 a JDK client keeps one connection
 * per origin and refuses streams beyond the provider's {@code SETTINGS_MAX_CONCURRENT_STREAMS};
 * then the next lane (another client, so another connection) takes the stream, up to the provider's
 * {@code max_connections}.
 */
final class ClientLanes implements AutoCloseable {
  /** How long a new connection may take; the attempt's own timeout also bounds it. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * One client and the exchanges in flight on it. An HTTP/2 lane lets its first exchange go alone:
   * the JDK client opens a connection for every request that finds none cached, so a burst on a new
   * lane would open a connection per stream (all but one closing after their stream); the others
   * wait until the first has its answer.
   */
  static final class Lane {
    final HttpClient client;
    final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch opened;
    private final AtomicBoolean opening = new AtomicBoolean();

    Lane(HttpClient client, boolean http2) {
      this.client = client;
      this.opened = new CountDownLatch(http2 ? 1 : 0);
    }

    HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException {
      if (opened.getCount() > 0) {
        if (opening.compareAndSet(false, true)) {
          try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
          } finally {
            opened.countDown();
          }
        }
        opened.await(request.timeout().orElse(CONNECT_TIMEOUT).toNanos(), TimeUnit.NANOSECONDS);
      }
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
  }

  private final TransportProfile profile;
  private final Executor executor;
  private final List<Lane> lanes = new CopyOnWriteArrayList<>();

  ClientLanes(TransportProfile profile, Executor executor) {
    this.profile = profile;
    this.executor = executor;
    lanes.add(new Lane(build(), profile.version() == HttpClient.Version.HTTP_2));
  }

  private HttpClient build() {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(profile.version())
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(TlsContexts.forProfile(profile))
            .executor(executor);
    b.proxy(profile.proxy().map(ClientLanes::proxySelector).orElse(HttpClient.Builder.NO_PROXY));
    return b.build();
  }

  private static ProxySelector proxySelector(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return ProxySelector.of(
        InetSocketAddress.createUnresolved(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
  }

  /**
   * Sends on the first lane that has room for another stream, opening lanes up to {@code maxLanes}.
   * The lane's in-flight count is raised; the caller lowers it when the exchange ends.
   */
  Sent send(HttpRequest request, int maxLanes) throws IOException, InterruptedException {
    for (int i = 0; ; i++) {
      Lane lane = lane(i, maxLanes);
      if (lane == null) {
        throw new TransportException(
            "every HTTP/2 connection allowed (max_connections "
                + maxLanes
                + ") is at the provider's concurrent stream limit",
            true,
            null);
      }
      lane.inFlight.incrementAndGet();
      try {
        return new Sent(lane, lane.send(request));
      } catch (IOException e) {
        lane.inFlight.decrementAndGet();
        if (!atStreamLimit(e)) {
          throw e;
        }
      } catch (InterruptedException | RuntimeException e) {
        lane.inFlight.decrementAndGet();
        throw e;
      }
    }
  }

  /** A response and the lane it came on. */
  record Sent(Lane lane, HttpResponse<InputStream> response) {}

  private Lane lane(int i, int maxLanes) {
    if (i < lanes.size()) {
      return lanes.get(i);
    }
    if (i >= maxLanes) {
      return null;
    }
    synchronized (lanes) {
      while (lanes.size() <= i) {
        lanes.add(new Lane(build(), profile.version() == HttpClient.Version.HTTP_2));
      }
      return lanes.get(i);
    }
  }

  /**
   * The JDK refuses a stream beyond the server's limit before sending anything: safe to try another
   * connection.
   */
  private static boolean atStreamLimit(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if ("too many concurrent streams".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Lanes with at least one exchange in flight: over HTTP/2 each is one open connection per origin.
   */
  int busyLanes() {
    int n = 0;
    for (Lane l : lanes) {
      if (l.inFlight.get() > 0) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() {
    for (Lane l : lanes) {
      l.client.shutdownNow();
    }
  }
}
