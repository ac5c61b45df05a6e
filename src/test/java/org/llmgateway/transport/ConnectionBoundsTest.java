package org.llmgateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.Yaml;

class ConnectionBoundsTest {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private GatewayUnderTest gateway(String yaml) {
    return track(
        GatewayUnderTest.builder()
            .file("gateway.yaml", yaml)
            .env("GATEWAY_ADMIN_TOKEN", "admin-token-for-tests")
            .start());
  }

  @Test
  void aRequestBeyondMaxConnectionsWaitsThenFailsWithoutOpeningAnotherConnection()
      throws Exception {
    FakeUpstream up = track(new FakeUpstream());
    up.script(r -> FakeUpstream.chunks(8, 200));
    GatewayUnderTest gw =
        gateway(
            "providers:\n  bounded:\n    base_url: \""
                + up.baseUrl()
                + "\"\n"
                + "    timeout_ms: 300\n    max_connections: 1\n    keys: [{id: k, value: sk-x}]\n"
                + "models:\n"
                + Yaml.model("m", "bounded").replace("version: 1\n", ""));
    HttpResponse<InputStream> holding = gw.postStream("/v1/chat/completions", Yaml.chatStream("m"));
    assertEquals(200, holding.statusCode());

    HttpResponse<String> second = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(502, second.statusCode(), second.body());
    assertTrue(second.body().contains("all max_connections (1) are in use"), second.body());
    assertEquals(1, up.calls(), "the bound kept the second request from opening a connection");
    try (InputStream in = holding.body()) {
      assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("[DONE]"));
    }
    up.script(r -> FakeUpstream.ok("room again"));
    HttpResponse<String> third = gw.post("/v1/chat/completions", Yaml.chat("m"));
    assertEquals(200, third.statusCode(), third.body());
    assertEquals(
        1, UpstreamTlsTest.transport(gw, "bounded").path("connection_wait_timeouts").asLong());
    assertEquals(
        "0.0", circuitState(gw, "bounded"), "a local limit must not open the provider's circuit");
  }

  @Test
  void underSteadyTrafficAConnectionDroppedBeforeTheAnswerIsTheProvidersFailureNotAStaleOne()
      throws Exception {
    StaleServer stale = track(new StaleServer());
    GatewayUnderTest gw =
        gateway(
            Yaml.providers(Yaml.provider("stale", stale.url(), "k", "sk-x"))
                + "models:\n"
                + Yaml.model("m", "stale").replace("version: 1\n", ""));

    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m")).statusCode());
    HttpResponse<String> second = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(502, second.statusCode(), second.body());
    assertEquals(List.of(2), stale.requestsPerConnection(1), "not resent");
    assertEquals(
        0, UpstreamTlsTest.transport(gw, "stale").path("stale_connection_retries").asLong());
  }

  @Test
  void aKeptAliveConnectionTheProviderClosedIsRetriedOnceWithoutCountingAgainstIt()
      throws Exception {
    StaleServer stale = track(new StaleServer());
    GatewayUnderTest gw =
        gateway(
            Yaml.providers(Yaml.provider("stale", stale.url(), "k", "sk-x"))
                + "models:\n"
                + Yaml.model("m", "stale").replace("version: 1\n", ""));

    HttpResponse<String> first = gw.post("/v1/chat/completions", Yaml.chat("m"));
    // the kept-alive connection sits idle, as it does when a provider closes it unseen
    Thread.sleep(1_200);
    HttpResponse<String> second = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(200, first.statusCode(), first.body());
    assertEquals(200, second.statusCode(), second.body());
    assertEquals(
        List.of(2, 1),
        stale.requestsPerConnection(2),
        "the second request died on the kept-alive " + "connection and was resent on a new one");
    assertEquals(
        1, UpstreamTlsTest.transport(gw, "stale").path("stale_connection_retries").asLong());
    // the resent request carried the whole body again, though an exchange lets go of it
    assertEquals(3, stale.bodies().size(), stale.bodies().toString());
    assertEquals(stale.bodies().get(0), stale.bodies().get(1));
    assertEquals(stale.bodies().get(1), stale.bodies().get(2));
    assertTrue(stale.bodies().get(2).contains("\"messages\""), stale.bodies().get(2));
    String metrics = gw.get("/metrics").body();
    assertFalse(
        metrics.contains(
            "gateway_upstream_attempts_total{outcome=\"network_error\",provider=\"stale\"}"),
        metrics);
    assertTrue(
        metrics.contains("gateway_upstream_stale_connection_retries_total{provider=\"stale\"} 1.0"),
        metrics);
  }

  private static String circuitState(GatewayUnderTest gw, String provider) {
    for (String line : gw.get("/metrics").body().split("\n")) {
      if (line.startsWith("gateway_circuit_state{provider=\"" + provider + "\"}")) {
        return line.substring(line.lastIndexOf(' ') + 1);
      }
    }
    throw new AssertionError("no circuit state for " + provider);
  }

  /**
   * An HTTP/1.1 upstream that answers the first request of a connection with keep-alive and resets
   * the connection when a second request arrives on it, as a provider does that closed an idle
   * connection just as it was reused.
   */
  static final class StaleServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<AtomicInteger> connections = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    StaleServer() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual()
          .start(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                  } catch (IOException e) {
                    return;
                  }
                }
              });
    }

    String url() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Requests received on each connection, once {@code expected} connections were accepted. */
    List<Integer> requestsPerConnection(int expected) {
      Await.until(
          Duration.ofSeconds(5), expected + " connections", () -> connections.size() >= expected);
      return connections.stream().map(AtomicInteger::get).toList();
    }

    private void serve(Socket s) {
      AtomicInteger requests = new AtomicInteger();
      connections.add(requests);
      try (s) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        String requestBody;
        while ((requestBody = readRequest(in)) != null) {
          bodies.add(requestBody);
          if (requests.incrementAndGet() > 1) {
            s.setSoLinger(true, 0); // RST, before any byte of an answer
            return;
          }
          byte[] body = FakeUpstream.chatCompletion("kept alive").getBytes(StandardCharsets.UTF_8);
          out.write(
              ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.flush();
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    /** The body of each request received, in order (a resent request appears twice). */
    List<String> bodies() {
      return List.copyOf(bodies);
    }

    /** Reads one request; returns its body, or null at the end of the connection. */
    private static String readRequest(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        String h = head.toString(StandardCharsets.US_ASCII);
        if (h.endsWith("\r\n\r\n")) {
          int length = 0;
          for (String line : h.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              length = Integer.parseInt(line.substring(15).trim());
            }
          }
          return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
