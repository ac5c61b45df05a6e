package org.llmgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport fields of a provider and the gateway-wide variables: parsed values, and every error
 * with its path.
 */
class TransportConfigTest {
  private static final String MODELS = "models:\n  m:\n    provider_map: {p: x}\n";

  @TempDir Path dir;

  private ConfigDir config(String providerLines, Map<String, String> env) {
    return new ConfigDir(dir, env)
        .write(
            "gateway.yaml",
            "providers:\n  p:\n    base_url: \"https://api.example.com\"\n"
                + "    keys: [{id: k, value: sk-x}]\n"
                + providerLines.indent(4)
                + MODELS);
  }

  private List<String> errors(String providerLines, Map<String, String> env) {
    ConfigDir c = config(providerLines, env);
    return c.errors().stream().map(l -> l.replace(c.file("gateway.yaml") + ": ", "")).toList();
  }

  private ProviderTransport transport(String providerLines, Map<String, String> env) {
    return config(providerLines, env).load().providers().get("p").transport();
  }

  @Test
  void defaultsAreAutoDirectAndTheJdkTrustStore() {
    ProviderTransport t = transport("", Map.of());
    assertEquals(HttpVersionPreference.AUTO, t.httpVersion());
    assertTrue(t.proxy().isEmpty());
    assertTrue(t.extraTrust().isEmpty());
    assertEquals(ProviderTransport.DEFAULT_MAX_CONNECTIONS, t.maxConnections());
  }

  @Test
  void httpVersionAndMaxConnectionsAreRead() {
    ProviderTransport t = transport("http_version: 1.1\nmax_connections: 8", Map.of());
    assertEquals(HttpVersionPreference.HTTP_1_1, t.httpVersion());
    assertEquals(8, t.maxConnections());
  }

  @Test
  void badTransportValuesAreReportedWithTheirPaths() {
    assertEquals(
        List.of(
            "providers.p.http_version: must be auto, 1.1 or 2, got \"3\"",
            "providers.p.max_connections: must be at least 1, got 0"),
        errors("http_version: 3\nmax_connections: 0", Map.of()));
  }

  @Test
  void http2OnPlainHttpIsRejected() {
    ConfigDir c =
        new ConfigDir(dir)
            .write(
                "gateway.yaml",
                "providers:\n  p:\n    base_url: \"http://10.0.0.1:8000\"\n"
                    + "    keys: [{id: k, value: sk-x}]\n    http_version: 2\n"
                    + MODELS);
    assertEquals(
        List.of(
            c.file("gateway.yaml")
                + ": providers.p.http_version: 2 needs an https:// base_url: HTTP/2 is "
                + "negotiated by TLS ALPN (h2c is not supported)"),
        c.errors());
  }

  @Test
  void aMissingOrUnreadableCaFileIsNamedWithTheProblem() throws Exception {
    Path notPem =
        Files.writeString(
            dir.resolve("key.pem"),
            "-----BEGIN PRIVATE KEY-----\nMIIEsecret\n-----END PRIVATE KEY-----\n");
    List<String> missing = errors("ca_file: missing.pem", Map.of());
    assertEquals(
        List.of(
            "providers.p.ca_file: cannot read CA file "
                + dir.resolve("missing.pem")
                + ": NoSuchFileException"),
        missing);
    List<String> key = errors("ca_file: key.pem", Map.of());
    assertEquals(
        List.of(
            "providers.p.ca_file: CA file "
                + notPem
                + " contains no PEM certificate (-----BEGIN CERTIFICATE-----)"),
        key);
    assertFalse(key.get(0).contains("MIIEsecret"));
  }

  @Test
  void caFileWithSslVerifyFalseIsAContradiction() throws Exception {
    assertEquals(
        List.of("providers.p.ca_file: has no effect with ssl_verify: false; remove one of them"),
        errors("ssl_verify: false\nca_file: ca.pem", Map.of()));
  }

  @Test
  void theGatewayWideCaFileIsNamedByItsVariable() {
    ConfigDir c = config("", Map.of("GATEWAY_CA_FILE", dir.resolve("nope.pem").toString()));
    assertEquals(
        List.of(
            "GATEWAY_CA_FILE: cannot read CA file "
                + dir.resolve("nope.pem")
                + ": NoSuchFileException"),
        c.errors());
  }

  @Test
  void proxiesComeFromTheProviderOrTheEnvironmentUnlessNoProxyMatches() {
    ProviderTransport own =
        transport(
            "proxy: {url: \"http://proxy.corp:3128\", username: gw, password_env: PW}",
            Map.of("PW", "pa:ss"));
    assertEquals("proxy.corp:3128", own.proxy().orElseThrow().address());
    assertEquals(
        "Basic Z3c6cGE6c3M=", own.proxy().orElseThrow().authorization().orElseThrow().reveal());
    assertEquals(
        "proxy.corp:8080",
        transport("", Map.of("HTTPS_PROXY", "proxy.corp:8080")).proxy().orElseThrow().address());
    assertTrue(
        transport("", Map.of("HTTPS_PROXY", "http://proxy.corp:8080", "NO_PROXY", ".example.com"))
            .proxy()
            .isEmpty());
    assertTrue(
        transport("proxy: direct", Map.of("https_proxy", "http://proxy.corp:8080"))
            .proxy()
            .isEmpty());
    assertTrue(
        transport("", Map.of("HTTP_PROXY", "http://proxy.corp:8080")).proxy().isEmpty(),
        "HTTP_PROXY is for http:// providers");
  }

  @Test
  void badProxiesAreReportedWithoutTheirCredentials() {
    assertEquals(
        List.of(
            "providers.p.proxy: must be an http:// proxy (HTTPS to the provider is tunnelled through it "
                + "with CONNECT), got https://"),
        errors("proxy: \"https://proxy.corp:3128\"", Map.of()));
    assertEquals(
        List.of("providers.p.proxy.password_env: environment variable PW is not set"),
        errors(
            "proxy: {url: \"http://proxy.corp:3128\", username: gw, password_env: PW}", Map.of()));
    List<String> inline = errors("proxy: \"http://gw:hunter2@proxy.corp:3128\"", Map.of());
    assertEquals(
        List.of(
            "providers.p.proxy: must not carry a password: a config file is shown and versioned; give "
                + "username and password_env instead"),
        inline);
    ConfigDir c = config("", Map.of("HTTPS_PROXY", "socks5://user:hunter2@proxy:1080"));
    List<String> env = c.errors();
    assertFalse(String.join("\n", env).contains("hunter2"));
    assertEquals(
        List.of(
            "HTTPS_PROXY: must be an http:// proxy (HTTPS to the provider is tunnelled through it with "
                + "CONNECT), got socks5://"),
        env);
  }
}
