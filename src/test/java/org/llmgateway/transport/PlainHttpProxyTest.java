package org.llmgateway.transport;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.Yaml;

/**
 * A provider on plain {@code http://} behind a forward proxy: the request goes to the proxy in
 * absolute form (no CONNECT tunnel), with the proxy's credentials, and reaches the provider. The
 * proxy is a WireMock server with browser proxying on.
 */
class PlainHttpProxyTest {
  private static final String PASSWORD = "plain-proxy-pass";
  private static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(("gateway:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  private final WireMockServer provider =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private final WireMockServer proxy =
      new WireMockServer(
          options().bindAddress("127.0.0.1").dynamicPort().enableBrowserProxying(true));
  private GatewayUnderTest gw;

  @BeforeEach
  void start() {
    provider.start();
    provider.stubFor(
        post(urlEqualTo("/v1/chat/completions"))
            .willReturn(okJson(FakeUpstream.chatCompletion("via the forward proxy"))));
    proxy.start();
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    proxy.stop();
    provider.stop();
  }

  private GatewayUnderTest gateway(String providerExtra, String... env) {
    String p =
        providerExtra == null
            ? Fixtures.provider("plain", provider.baseUrl())
            : Fixtures.provider("plain", provider.baseUrl(), providerExtra);
    GatewayUnderTest.Builder b =
        GatewayUnderTest.builder().file("gateway.yaml", Fixtures.config(new String[] {p}, "plain"));
    for (int i = 0; i + 1 < env.length; i += 2) {
      b.env(env[i], env[i + 1]);
    }
    gw = b.start();
    return gw;
  }

  private List<LoggedRequest> seenByProxy() {
    return proxy.findAll(postRequestedFor(anyUrl()));
  }

  @Test
  void theHttpProxyVariableCarriesPlainHttpRequestsInAbsoluteForm() {
    gateway(null, "HTTP_PROXY", proxy.baseUrl());

    HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m"));

    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("via the forward proxy"), r.body());
    assertEquals(1, seenByProxy().size());
    assertEquals(
        provider.baseUrl() + "/v1/chat/completions", seenByProxy().get(0).getAbsoluteUrl());
    provider.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/chat/completions"))
            .withHeader("Authorization", equalTo("Bearer " + Fixtures.KEY)));
  }

  @Test
  void theProvidersProxyCredentialsGoToTheProxyOnPlainHttp() {
    gateway(
        "proxy: {url: \"" + proxy.baseUrl() + "\", username: gateway, password_env: PLAIN_PW}",
        "PLAIN_PW",
        PASSWORD);

    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m")).statusCode());

    assertEquals(1, seenByProxy().size());
    assertEquals(BASIC, seenByProxy().get(0).getHeader("Proxy-Authorization"));
  }

  @Test
  void noProxyKeepsPlainHttpDirect() {
    gateway(null, "HTTP_PROXY", proxy.baseUrl(), "NO_PROXY", "localhost");

    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m")).statusCode());

    assertEquals(List.of(), seenByProxy().stream().map(LoggedRequest::getAbsoluteUrl).toList());
    provider.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
  }
}
