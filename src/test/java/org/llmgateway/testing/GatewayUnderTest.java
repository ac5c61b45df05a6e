package org.llmgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llmgateway.Main;
import org.llmgateway.core.Settings;

/**
 * The real embedded gateway on 127.0.0.1, port 0, started from YAML fixtures written to a temporary
 * config directory, with a JDK {@link HttpClient} to talk to it. Settings come from {@link #env},
 * never from the process environment.
 */
public final class GatewayUnderTest implements AutoCloseable {
  private final Main.Server server;
  private final Path configDir;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private GatewayUnderTest(Main.Server server, Path configDir) {
    this.server = server;
    this.configDir = configDir;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Fixture builder: YAML files by name, and GATEWAY_* settings (also used to resolve {@code
   * value_env}).
   */
  public static final class Builder {
    private final Map<String, String> files = new LinkedHashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private Clock clock = Clock.systemUTC();

    public Builder file(String name, String yaml) {
      files.put(name, yaml);
      return this;
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** The gateway's clock (default: the system's), e.g. a {@link MutableClock}. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public GatewayUnderTest start() {
      try {
        Path dir = Files.createTempDirectory("gw-config");
        for (Map.Entry<String, String> f : files.entrySet()) {
          Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        Map<String, String> all = new HashMap<>();
        all.put("GATEWAY_HOST", "127.0.0.1");
        all.put("GATEWAY_PORT", "0");
        all.put("GATEWAY_CONFIG_DIR", dir.toString());
        all.put("GATEWAY_SHUTDOWN_GRACE_SEC", "1");
        all.putAll(env);
        Settings settings = Settings.from(all::get);
        try {
          return new GatewayUnderTest(Main.Server.start(settings, clock), dir);
        } catch (Exception | Error e) {
          TempDirs.delete(dir);
          throw e;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public Main.Server server() {
    return server;
  }

  public Path configDir() {
    return configDir;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  public HttpResponse<String> post(String path, String json, String... headers) {
    return send(
        request(path, headers).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<InputStream> postStream(String path, String json, String... headers) {
    return send(
        request(path, headers).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  public HttpResponse<String> get(String path, String... headers) {
    return send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> method(String method, String path, String... headers) {
    return send(
        request(path, headers).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return client.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Replaces (or adds) a config file, as an operator would edit it. */
  public void writeConfig(String name, String yaml) {
    try {
      Path tmp = configDir.resolve("." + name + ".tmp");
      Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
      Files.move(
          tmp,
          configDir.resolve(name),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Closes the client first: its idle keep-alive connections would otherwise hold Jetty's graceful
   * stop for the whole grace period.
   */
  @Override
  public void close() {
    client.close();
    try {
      server.close();
    } finally {
      TempDirs.delete(configDir);
    }
  }
}
