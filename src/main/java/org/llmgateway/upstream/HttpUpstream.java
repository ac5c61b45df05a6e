package org.llmgateway.upstream;

import java.security.GeneralSecurityException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.llmgateway.config.Provider;
import org.llmgateway.config.ProviderKey;

/**
 * OpenAI-compatible HTTP providers through one shared JDK {@link HttpClient} (HTTP/1.1 with keep-alive, virtual-thread
 * executor), plus one that skips TLS verification for {@code ssl_verify: false} providers. URL = {@code base_url} +
 * endpoint; headers: content type, accept, the auth header with the key, the provider's {@code headers} (which may
 * override) and {@code X-Request-Id}. Nothing from the client's headers is forwarded.
 */
public final class HttpUpstream implements Upstream, AutoCloseable {
  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final ExecutorService executor;
  private volatile HttpClient verified;
  private volatile HttpClient insecure;

  public HttpUpstream() {
    this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("upstream-", 0).factory());
    // Building the client initialises the JDK's TLS stack (~0.2 s): do it beside start-up, not in its way.
    Thread.ofVirtual().name("upstream-client-init").start(this::verified);
  }

  private HttpClient verified() {
    HttpClient c = verified;
    if (c == null) {
      synchronized (this) {
        c = verified;
        if (c == null) {
          c = builder().build();
          verified = c;
        }
      }
    }
    return c;
  }

  private HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance on plain http
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor);
  }

  @Override
  public UpstreamResponse send(UpstreamRequest request) throws IOException {
    Provider provider = request.attempt().route().provider();
    HttpRequest.Builder b = HttpRequest.newBuilder(request.url())
        .timeout(request.timeout())
        .header("Content-Type", "application/json")
        .header("Accept", request.stream() ? "text/event-stream" : "application/json")
        .header("X-Request-Id", request.requestId())
        .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
    ProviderKey key = request.attempt().key();
    if (provider.auth().sendsKey() && !key.value().isEmpty()) {
      b.setHeader(provider.auth().header(), provider.auth().prefix() + key.value().reveal());
    }
    for (Map.Entry<String, String> h : provider.headers().entrySet()) {
      if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        b.setHeader(h.getKey(), h.getValue());
      }
    }
    HttpClient client = provider.sslVerify() ? verified() : insecure();
    try {
      HttpResponse<InputStream> response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new Response(response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the upstream", e);
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid upstream request: " + e.getMessage(), e);
    }
  }

  private HttpClient insecure() {
    HttpClient c = insecure;
    if (c == null) {
      synchronized (this) {
        c = insecure;
        if (c == null) {
          try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
            c = builder().sslContext(ssl).build();
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a non-verifying TLS context", e);
          }
          insecure = c;
        }
      }
    }
    return c;
  }

  @Override
  public void close() {
    verified().close();
    if (insecure != null) {
      insecure.close();
    }
    executor.close();
  }

  private record Response(HttpResponse<InputStream> response) implements UpstreamResponse {
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
      }
    }
  }

  /** For {@code ssl_verify: false}: accepts any certificate and host name, as the user asked. */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
