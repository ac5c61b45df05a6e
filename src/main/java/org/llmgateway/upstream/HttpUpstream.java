package org.llmgateway.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.llmgateway.config.Provider;
import org.llmgateway.config.ProviderKey;

/**
 * HTTP providers through the JDK {@link java.net.http.HttpClient}, by way of {@link
 * UpstreamTransport} (clients per trust/proxy/version profile, HTTP/2 by ALPN, bounded
 * connections). URL = {@code base_url} + endpoint; headers: content type, accept, the auth header
 * with the key, the provider's {@code headers} (which may override), {@code X-Request-Id}, and the
 * request's {@code clientHeaders} (only Anthropic's version and beta headers, only to
 * Anthropic-speaking endpoints). Nothing else from the client's headers is forwarded.
 */
public final class HttpUpstream implements Upstream, AutoCloseable {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final UpstreamTransport transport = new UpstreamTransport();

  public HttpUpstream() {
    // The JDK's TLS stack and clients take ~0.2 s to start: do it beside start-up, not in the first
    // request's way.
    Thread.ofVirtual().name("upstream-client-init").start(transport::warmUp);
  }

  /**
   * The transport view of {@code provider} (HTTP version, connections, TLS failures); empty before
   * its first use.
   */
  public Optional<TransportStats> transportStats(String provider) {
    return transport.stats(provider);
  }

  @Override
  public UpstreamResponse send(UpstreamRequest request) throws IOException {
    Provider provider = request.attempt().route().provider();
    ReleasableBody body = new ReleasableBody(request.body());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(request.url())
            .timeout(request.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", request.stream() ? "text/event-stream" : "application/json")
            .header("X-Request-Id", request.requestId())
            .POST(body.publisher());
    ProviderKey key = request.attempt().key();
    if (provider.auth().sendsKey() && !key.value().isEmpty()) {
      b.setHeader(provider.auth().header(), provider.auth().prefix() + key.value().reveal());
    }
    for (Map.Entry<String, String> h : provider.headers().entrySet()) {
      if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        b.setHeader(h.getKey(), h.getValue());
      }
    }
    // the client's own Anthropic version and betas win over the provider's default (the translating
    // upstream only
    // passes them on to Anthropic-speaking endpoints)
    request.clientHeaders().forEach(b::setHeader);
    try {
      UpstreamTransport.Exchange exchange = transport.send(provider, b, request.timeout());
      body.release(); // the response is in: the client will not send the body again
      return new Response(exchange.response(), exchange.release());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the upstream", e);
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid upstream request: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    transport.close();
  }

  private record Response(HttpResponse<InputStream> response, Runnable release)
      implements UpstreamResponse {
    @Override
    public int status() {
      return response.statusCode();
    }

    @Override
    public Map<String, List<String>> headers() {
      return response.headers().map();
    }

    @Override
    public InputStream body() {
      return response.body();
    }

    @Override
    public void close() {
      try {
        response.body().close();
      } catch (IOException ignored) {
        // the exchange is being abandoned either way
      } finally {
        release.run();
      }
    }
  }
}
