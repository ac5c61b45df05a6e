package org.llmgateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.ConnectProxy;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.TestPki;
import org.llmgateway.testing.Yaml;

class EgressProxyTest {
  private static final String PASSWORD = "proxy-pass-w0rd";
  private static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(("gateway:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  private final TestPki pki = new TestPki("Corporate CA");
  private Path dir;
  private Path caFile;
  private final List<AutoCloseable> open = new ArrayList<>();
  private FakeUpstream upstream;

  @BeforeEach
  void setUp() {
    dir = Fixtures.tempDir();
    caFile = pki.writeCaPem(dir.resolve("corp-ca.pem"));
    upstream = track(new FakeUpstream(pki.leaf("127.0.0.1"), true));
    upstream.script(r -> FakeUpstream.ok("through the proxy"));
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

  private GatewayUnderTest gateway(String providerExtra, String... env) {
    String provider =
        providerExtra == null
            ? Fixtures.provider("corp", upstream.baseUrl())
            : Fixtures.provider("corp", upstream.baseUrl(), providerExtra);
    GatewayUnderTest.Builder b =
        GatewayUnderTest.builder()
            .file("gateway.yaml", Fixtures.config(new String[] {provider}, "corp"))
            .env("GATEWAY_ADMIN_TOKEN", "admin-token-for-tests")
            .env("GATEWAY_CA_FILE", caFile.toString());
    for (int i = 0; i + 1 < env.length; i += 2) {
      b.env(env[i], env[i + 1]);
    }
    return track(b.start());
  }

  @Test
  void httpsGoesThroughTheProvidersProxyByConnectWithBasicCredentialsFromTheEnvironment()
      throws Exception {
    ConnectProxy proxy = track(new ConnectProxy(BASIC));
    GatewayUnderTest gw =
        gateway(
            "proxy: {url: \"" + proxy.url() + "\", username: gateway, password_env: CORP_PROXY_PW}",
            "CORP_PROXY_PW",
            PASSWORD);

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("through the proxy"));
    assertEquals(
        List.of(new ConnectProxy.Seen("CONNECT 127.0.0.1:" + upstream.port() + " HTTP/1.1", BASIC)),
        proxy.seen());
    assertNull(
        upstream.received().get(0).header("proxy-authorization"),
        "proxy credentials must not reach the provider");
    assertEquals("HTTP/2.0", upstream.protocols().get(0), "HTTP/2 is negotiated inside the tunnel");
    String catalog = gw.get("/admin/catalog", "X-Admin-Token", "admin-token-for-tests").body();
    assertFalse(catalog.contains(PASSWORD) || catalog.contains(BASIC.substring(6)), catalog);
    JsonNode view = UpstreamTlsTest.transport(gw, "corp").path("proxy");
    assertEquals("127.0.0.1:" + proxy.port(), view.path("address").asText());
    assertEquals("gateway", view.path("username").asText());
  }

  @Test
  void theHttpsProxyVariableIsUsedWhenTheProviderSetsNoProxy() {
    ConnectProxy proxy = track(new ConnectProxy(null));
    GatewayUnderTest gw = gateway(null, "HTTPS_PROXY", proxy.url());

    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m")).statusCode());

    assertEquals(1, proxy.seen().size());
    assertTrue(proxy.seen().get(0).requestLine().startsWith("CONNECT 127.0.0.1:"));
  }

  @Test
  void noProxyNamesHostsReachedDirectly() {
    ConnectProxy proxy = track(new ConnectProxy(null));
    GatewayUnderTest gw =
        gateway(null, "https_proxy", proxy.url(), "NO_PROXY", "localhost,127.0.0.1");

    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m")).statusCode());

    assertEquals(List.of(), proxy.seen());
    assertEquals(1, upstream.calls());
  }

  @Test
  void aProxyThatRefusesTheCredentialsFailsTheAttemptWithoutShowingThem() {
    ConnectProxy proxy = track(new ConnectProxy("Basic c29tZW9uZTplbHNl"));
    GatewayUnderTest gw =
        gateway(
            "proxy: {url: \"" + proxy.url() + "\", username: gateway, password_env: CORP_PROXY_PW}",
            "CORP_PROXY_PW",
            PASSWORD);

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(502, r.statusCode(), r.body());
    assertTrue(r.body().contains("corp: "), r.body());
    assertFalse(r.body().contains(PASSWORD) || r.body().contains(BASIC.substring(6)), r.body());
    assertEquals(0, upstream.calls());
  }
}
