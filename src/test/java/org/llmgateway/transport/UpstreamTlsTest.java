package org.llmgateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.TestPki;
import org.llmgateway.testing.Yaml;

class UpstreamTlsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestPki pki = new TestPki("Gateway Test CA");
  private Path dir;
  private Path caFile;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void files() {
    dir = Fixtures.tempDir();
    caFile = pki.writeCaPem(dir.resolve("corp-ca.pem"));
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

  private FakeUpstream https(String... names) {
    return track(new FakeUpstream(pki.leaf(names), false));
  }

  private GatewayUnderTest gateway(String yaml, String... env) {
    GatewayUnderTest.Builder b =
        GatewayUnderTest.builder()
            .file("gateway.yaml", yaml)
            .env("GATEWAY_ADMIN_TOKEN", "admin-token-for-tests");
    for (int i = 0; i + 1 < env.length; i += 2) {
      b.env(env[i], env[i + 1]);
    }
    return track(b.start());
  }

  @Test
  void aProviderWhoseCaIsGivenInCaFileIsReachedOverTls() throws Exception {
    FakeUpstream up = https("127.0.0.1", "localhost");
    up.script(r -> FakeUpstream.ok("over tls"));
    GatewayUnderTest gw =
        gateway(
            Fixtures.config(
                new String[] {
                  Fixtures.provider("secure", up.baseUrl(), "ca_file: \"" + caFile + "\"")
                },
                "secure"));

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("over tls"));
    assertEquals(1, up.calls());
    assertEquals("Bearer " + Fixtures.KEY, up.received().get(0).header("authorization"));
    JsonNode transport = transport(gw, "secure");
    assertEquals("HTTP/1.1", transport.path("http_version_in_use").asText());
    assertEquals(0, transport.path("tls_failures").asLong());
    assertEquals(1, transport.path("extra_ca_certificates").asInt());
  }

  @Test
  void theGatewayWideCaFileIsTrustedForEveryProvider() {
    FakeUpstream up = https("127.0.0.1");
    GatewayUnderTest gw =
        gateway(
            Fixtures.config(new String[] {Fixtures.provider("secure", up.baseUrl())}, "secure"),
            "GATEWAY_CA_FILE",
            caFile.toString());

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, up.calls());
  }

  @Test
  void anUntrustedCertificateFailsOverWithATlsReasonAndNeverShowsTheKey() throws Exception {
    FakeUpstream untrusted = https("127.0.0.1");
    FakeUpstream plain = track(new FakeUpstream());
    plain.script(r -> FakeUpstream.ok("from plain"));
    GatewayUnderTest gw =
        gateway(
            Fixtures.config(
                new String[] {
                  Fixtures.provider("untrusted", untrusted.baseUrl()),
                  Fixtures.provider("plain", plain.baseUrl())
                },
                "untrusted",
                "plain"),
            "GATEWAY_EXPOSE_SELECTION",
            "true");

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(200, r.statusCode(), r.body());
    assertEquals("plain", r.headers().firstValue("X-Selected-Provider").orElse(""));
    assertEquals(
        0, untrusted.calls(), "no request may reach a server whose certificate is not trusted");
    assertEquals(1, transport(gw, "untrusted").path("tls_failures").asLong());
    String metrics = gw.get("/metrics").body();
    assertTrue(
        metrics.contains("gateway_upstream_tls_failures_total{provider=\"untrusted\"} 1.0"),
        metrics);
  }

  @Test
  void whenEveryProviderFailsTlsThe502NamesTheTlsProblemWithoutTheKey() {
    FakeUpstream untrusted = https("127.0.0.1");
    GatewayUnderTest gw =
        gateway(
            Fixtures.config(
                new String[] {Fixtures.provider("untrusted", untrusted.baseUrl())}, "untrusted"));

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(502, r.statusCode());
    assertTrue(
        r.body().contains("untrusted: TLS: the certificate of 127.0.0.1 is not trusted"), r.body());
    assertFalse(r.body().contains(Fixtures.KEY));
  }

  @Test
  void aCertificateForAnotherHostFailsWithAHostMismatchReason() {
    FakeUpstream wrongHost = https("api.example.com");
    GatewayUnderTest gw =
        gateway(
            Fixtures.config(
                new String[] {
                  Fixtures.provider("wrong", wrongHost.baseUrl(), "ca_file: \"" + caFile + "\"")
                },
                "wrong"));

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(502, r.statusCode());
    assertTrue(
        r.body().contains("wrong: TLS: the certificate does not match the host name 127.0.0.1"),
        r.body());
    assertEquals(0, wrongHost.calls());
  }

  @Test
  void sslVerifyFalseAcceptsAnUntrustedWrongHostCertificate() {
    FakeUpstream up = https("api.example.com");
    GatewayUnderTest gw =
        gateway(
            Fixtures.config(
                new String[] {Fixtures.provider("lax", up.baseUrl(), "ssl_verify: false")}, "lax"));

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, up.calls());
  }

  @Test
  void aStreamOverTlsArrivesEventByEvent() throws Exception {
    FakeUpstream up = https("127.0.0.1");
    up.script(r -> FakeUpstream.chunks(4, 300));
    GatewayUnderTest gw =
        gateway(
            Fixtures.config(
                new String[] {
                  Fixtures.provider("secure", up.baseUrl(), "ca_file: \"" + caFile + "\"")
                },
                "secure"));

    HttpResponse<InputStream> r = gw.postStream("/v1/chat/completions", Yaml.chatStream("m"));

    assertEquals(200, r.statusCode());
    List<Long> arrivals = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("data: {")) {
          arrivals.add(System.nanoTime());
        }
      }
    }
    assertEquals(4, arrivals.size());
    // 300 ms apart upstream: buffered delivery would bring them together at the end
    long spreadMs = (arrivals.get(3) - arrivals.get(0)) / 1_000_000;
    assertTrue(spreadMs >= 600, "events arrived within " + spreadMs + " ms of each other");
  }

  static JsonNode transport(GatewayUnderTest gw, String provider) throws Exception {
    HttpResponse<String> r = gw.get("/admin/catalog", "X-Admin-Token", "admin-token-for-tests");
    assertEquals(200, r.statusCode(), r.body());
    for (JsonNode p : JSON.readTree(r.body()).path("providers")) {
      if (p.path("name").asText().equals(provider)) {
        return p.path("transport");
      }
    }
    throw new AssertionError("no provider " + provider + " in " + r.body());
  }
}
