package org.llmgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llmgateway.Service;
import org.llmgateway.core.Settings;

/**
 * The real server assembly ({@link HttpServer} with {@link GatewayServlet}) with a probe in the
 * metrics slot: where requests run, and a gateway whose first configuration is broken (as the WAR
 * keeps it: deployed, not ready).
 */
class HttpServerTest {
  private static final String GOOD =
      "providers: {mock: {type: mock}}\nmodels: {demo: {provider_map: {mock: echo}}}\n";

  @TempDir Path dir;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
    client.close();
  }

  private HttpServer start(Endpoint metrics, Map<String, String> extraSettings) throws Exception {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "GATEWAY_HOST",
                "127.0.0.1",
                "GATEWAY_PORT",
                "0",
                "GATEWAY_CONFIG_DIR",
                dir.toString(),
                "GATEWAY_SHUTDOWN_GRACE_SEC",
                "0"));
    env.putAll(extraSettings);
    Settings settings = Settings.from(env::get);
    Service service = Service.start(settings, Clock.systemUTC(), false);
    toClose.add(service);
    HttpServer server =
        new HttpServer(settings, new GatewayServlet(service.gateway(), metrics, Optional.empty()));
    server.start();
    toClose.add(server::stop);
    return server;
  }

  private HttpResponse<String> get(HttpServer server, String path)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyServletCallRunsOnAVirtualThread() throws Exception {
    Files.writeString(dir.resolve("gateway.yaml"), GOOD);
    Endpoint probe =
        (rq, rs, ex) ->
            Json.write(
                rs,
                200,
                Map.of(
                    "virtual",
                    Thread.currentThread().isVirtual(),
                    "thread",
                    Thread.currentThread().toString()));
    HttpServer server = start(probe, Map.of());
    try (ExecutorService callers = Executors.newFixedThreadPool(8)) {
      List<Future<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        calls.add(callers.submit((Callable<HttpResponse<String>>) () -> get(server, "/metrics")));
      }
      for (Future<HttpResponse<String>> call : calls) {
        HttpResponse<String> r = call.get();
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"virtual\":true"), r.body());
      }
    }
  }

  @Test
  void aBrokenFirstConfigLeavesTheServerUpButNotReadyUntilTheFileIsFixed() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("gateway.yaml"),
            "providers: {mock: {type: mock}}\n"
                + "models: {demo: {provider_map: {ghost: echo}}}\n");
    HttpServer server =
        start(
            (rq, rs, ex) -> Json.write(rs, 200, Map.of()),
            Map.of("GATEWAY_RELOAD_INTERVAL_SEC", "1"));
    assertEquals(200, get(server, "/healthz").statusCode());
    HttpResponse<String> notReady = get(server, "/readyz");
    assertEquals(503, notReady.statusCode());
    assertTrue(notReady.body().contains("names undefined provider \\\"ghost\\\""), notReady.body());
    HttpResponse<String> models = get(server, "/v1/models");
    assertEquals(503, models.statusCode());
    assertTrue(models.body().contains("\"code\":\"config_not_loaded\""), models.body());

    Files.writeString(file, GOOD);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int status = 503;
    while (status != 200 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      status = get(server, "/readyz").statusCode();
    }
    assertEquals(200, status, "ready once the file is fixed");
    assertTrue(get(server, "/v1/models").body().contains("\"id\":\"demo\""));
  }
}
