package org.llmgateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.TestPki;
import org.llmgateway.testing.Yaml;

class UpstreamHttp2Test {
  private final TestPki pki = new TestPki("Gateway Test CA");
  private Path dir;
  private Path caFile;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void files() {
    dir = Fixtures.tempDir();
    caFile = pki.writeCaPem(dir.resolve("ca.pem"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    Fixtures.delete(dir);
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private FakeUpstream h2() {
    return track(new FakeUpstream(pki.leaf("127.0.0.1"), true));
  }

  private GatewayUnderTest gateway(String yaml) {
    return track(
        GatewayUnderTest.builder()
            .file("gateway.yaml", yaml)
            .env("GATEWAY_ADMIN_TOKEN", "admin-token-for-tests")
            .env("GATEWAY_EXPOSE_SELECTION", "true")
            .start());
  }

  private String secure(String name, FakeUpstream up, String... extra) {
    String[] lines = new String[extra.length + 1];
    lines[0] = "ca_file: \"" + caFile + "\"";
    System.arraycopy(extra, 0, lines, 1, extra.length);
    return Fixtures.provider(name, up.baseUrl(), lines);
  }

  private static String read(HttpResponse<InputStream> r) throws Exception {
    try (InputStream in = r.body()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void httpsProvidersAreSpokenToOverHttp2ByDefault() throws Exception {
    FakeUpstream up = h2();
    GatewayUnderTest gw = gateway(Fixtures.config(new String[] {secure("h2", up)}, "h2"));

    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m")).statusCode());

    assertEquals(List.of("HTTP/2.0"), up.protocols());
    assertEquals(
        "HTTP/2", UpstreamTlsTest.transport(gw, "h2").path("http_version_in_use").asText());
    assertTrue(
        gw.get("/metrics")
            .body()
            .contains(
                "gateway_upstream_http_version_info{provider=\"h2\",version=\"HTTP/2\"} 1.0"));
  }

  @Test
  void httpVersion11KeepsAnHttp2CapableProviderOnHttp11() {
    FakeUpstream up = h2();
    GatewayUnderTest gw =
        gateway(Fixtures.config(new String[] {secure("h1", up, "http_version: \"1.1\"")}, "h1"));

    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m")).statusCode());

    assertEquals(List.of("HTTP/1.1"), up.protocols());
  }

  @Test
  void autoFallsBackToHttp11ByAlpnWithAnHttp11OnlyProvider() throws Exception {
    FakeUpstream up = track(new FakeUpstream(pki.leaf("127.0.0.1"), false));
    up.script(r -> FakeUpstream.ok("over http/1.1"));
    GatewayUnderTest gw = gateway(Fixtures.config(new String[] {secure("old", up)}, "old"));

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("over http/1.1"), r.body());
    assertEquals(List.of("HTTP/1.1"), up.protocols());
    assertEquals(
        "HTTP/1.1", UpstreamTlsTest.transport(gw, "old").path("http_version_in_use").asText());
  }

  @Test
  void httpVersion2FailsTheAttemptOfAnHttp11OnlyProviderWithAClearReason() throws Exception {
    FakeUpstream up = track(new FakeUpstream(pki.leaf("127.0.0.1"), false));
    up.script(r -> FakeUpstream.ok("over http/1.1"));
    GatewayUnderTest gw =
        gateway(Fixtures.config(new String[] {secure("old", up, "http_version: \"2\"")}, "old"));

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));
    assertEquals(502, r.statusCode(), r.body());
    assertTrue(
        r.body().contains("old: the provider answered over HTTP/1.1 but http_version is 2"),
        r.body());
    assertTrue(r.body().contains("\"type\":\"upstream_error\""), r.body());
  }

  @Test
  void manyConcurrentStreamsShareOneConnection() throws Exception {
    FakeUpstream up = h2();
    up.script(r -> FakeUpstream.chunks(3, 200));
    GatewayUnderTest gw = gateway(Fixtures.config(new String[] {secure("h2", up)}, "h2"));

    int streams = 40; // all at once, on a gateway that has no connection to the provider yet
    List<Future<String>> bodies = new ArrayList<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < streams; i++) {
        bodies.add(
            clients.submit(
                () -> read(gw.postStream("/v1/chat/completions", Yaml.chatStream("m")))));
      }
      Await.until(Duration.ofSeconds(10), "all streams open upstream", () -> up.calls() >= streams);
      assertEquals(1, up.connectionsOpen(), "streams in flight share one HTTP/2 connection");
      for (Future<String> body : bodies) {
        String b = body.get();
        assertTrue(b.contains("data: [DONE]"), b);
      }
    }
    assertEquals(1, up.connectionsAccepted(), "connections opened for " + streams + " streams");
  }

  @Test
  void streamsBeyondTheProvidersConcurrentStreamLimitOpenASecondConnection() throws Exception {
    FakeUpstream up = track(new FakeUpstream(pki.leaf("127.0.0.1"), true, 4));
    up.script(r -> FakeUpstream.chunks(3, 300));
    GatewayUnderTest gw = gateway(Fixtures.config(new String[] {secure("h2", up)}, "h2"));
    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m")).statusCode());

    List<Future<String>> bodies = new ArrayList<>();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 7; i++) {
        bodies.add(
            clients.submit(
                () -> read(gw.postStream("/v1/chat/completions", Yaml.chatStream("m")))));
      }
      for (Future<String> body : bodies) {
        String b = body.get();
        assertTrue(b.contains("data: [DONE]") && !b.contains("error"), b);
      }
    }
    assertEquals(2, up.connectionsAccepted(), "4 streams per connection: 7 at once need two");
  }

  @Test
  void aStreamResetBeforeTheFirstEventFailsOverToTheNextProvider() throws Exception {
    FakeUpstream resetting = h2();
    resetting.script(r -> new FakeUpstream.Reset(0));
    FakeUpstream good = h2();
    good.script(r -> FakeUpstream.chunks(2, 0));
    GatewayUnderTest gw =
        gateway(
            Fixtures.config(
                new String[] {secure("resetting", resetting), secure("good", good)},
                "resetting",
                "good"));

    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", Yaml.chatStream("m"));

    assertEquals(200, r.statusCode());
    assertEquals("good", r.headers().firstValue("X-Selected-Provider").orElse(""));
    String body = read(r);
    assertTrue(body.contains("data: [DONE]") && !body.contains("error"), body);
    assertEquals(1, resetting.calls());
    assertEquals(List.of("HTTP/2.0"), resetting.protocols());
  }

  @Test
  void aStreamResetAfterTheFirstEventEndsTheStreamWithAnErrorEvent() throws Exception {
    FakeUpstream up = h2();
    up.script(r -> new FakeUpstream.Reset(2));
    GatewayUnderTest gw = gateway(Fixtures.config(new String[] {secure("h2", up)}, "h2"));

    String body = read(gw.postStream("/v1/chat/completions", Yaml.chatStream("m")));

    // event 1 may be discarded with the reset; event 0 was relayed before it
    assertTrue(body.startsWith("data: {\"n\":0}\n\n"), body);
    assertTrue(
        body.contains("stream reset by the provider (RST_STREAM ")
            && body.contains("\"code\":\"stream_interrupted\""),
        body);
    assertTrue(body.endsWith("}\n\n"), body);
    assertEquals(1, up.calls());
  }

  @Test
  void goAwayFromTheProviderIsSurvived() throws Exception {
    FakeUpstream up = h2();
    up.script(r -> FakeUpstream.chunks(3, 300));
    GatewayUnderTest gw = gateway(Fixtures.config(new String[] {secure("h2", up)}, "h2"));
    HttpResponse<InputStream> inFlight =
        gw.postStream("/v1/chat/completions", Yaml.chatStream("m"));
    assertEquals(200, inFlight.statusCode());

    up.goAway(); // graceful: the stream in flight may finish, new streams must go elsewhere

    String first = read(inFlight);
    assertTrue(first.contains("data: [DONE]") && !first.contains("error"), first);
    up.script(r -> FakeUpstream.ok("after goaway"));
    HttpResponse<String> next = gw.post("/v1/chat/completions", Yaml.chat("m"));
    assertEquals(200, next.statusCode(), next.body());
    assertTrue(next.body().contains("after goaway"));
    assertEquals(2, up.connectionsAccepted(), "a new connection after GOAWAY");
  }
}
