package org.llmgateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Validates a provider's transport fields ({@code http_version}, {@code ca_file}, {@code proxy},
 * {@code max_connections}) against the gateway-wide {@link TransportDefaults} into a {@link
 * ProviderTransport}.
 */
final class TransportParser {
  static final Set<String> KEYS = Set.of("http_version", "ca_file", "proxy", "max_connections");
  private static final Set<String> PROXY_KEYS = Set.of("url", "username", "password_env");
  private static final Set<String> DIRECT = Set.of("direct", "none", "off");

  private TransportParser() {}

  static ProviderTransport parse(
      Fields f,
      Optional<URI> baseUrl,
      boolean sslVerify,
      TransportDefaults defaults,
      Function<String, String> env) {
    String scheme = baseUrl.map(u -> u.getScheme().toLowerCase(Locale.ROOT)).orElse("https");
    HttpVersionPreference version =
        f.string("http_version")
            .map(
                v ->
                    HttpVersionPreference.fromConfigName(v)
                        .orElseGet(
                            () -> {
                              f.error("http_version", "must be auto, 1.1 or 2, got \"" + v + "\"");
                              return HttpVersionPreference.AUTO;
                            }))
            .orElse(HttpVersionPreference.AUTO);
    if (version == HttpVersionPreference.HTTP_2 && scheme.equals("http")) {
      f.error(
          "http_version",
          "2 needs an https:// base_url: HTTP/2 is negotiated by TLS ALPN (h2c is not supported)");
    }

    List<X509Certificate> trust = new ArrayList<>(defaults.trust());
    List<String> sources = new ArrayList<>(defaults.trustSources());
    f.string("ca_file")
        .ifPresent(
            name -> {
              if (!sslVerify) {
                f.error("ca_file", "has no effect with ssl_verify: false; remove one of them");
                return;
              }
              Path file = resolve(f.file(), name);
              trust.addAll(PemCertificates.read(file, message -> f.error("ca_file", message)));
              sources.add("ca_file=" + file);
            });

    Optional<EgressProxy> proxy = proxy(f, env);
    if (!f.has("proxy")) {
      proxy = baseUrl.flatMap(u -> defaults.proxyFor(u.getScheme(), u.getHost()));
    }
    int maxConnections =
        (int)
            Math.min(
                f.number("max_connections", ProviderTransport.DEFAULT_MAX_CONNECTIONS, 1),
                Integer.MAX_VALUE);
    return new ProviderTransport(
        version, List.copyOf(trust), List.copyOf(sources), proxy, maxConnections);
  }

  /**
   * The provider's own proxy: a URL, {@code direct} (ignore the environment), or {url, username,
   * password_env}.
   */
  private static Optional<EgressProxy> proxy(Fields f, Function<String, String> env) {
    Object raw = f.raw("proxy");
    if (raw == null) {
      return Optional.empty();
    }
    if (raw instanceof String s) {
      if (DIRECT.contains(s.trim().toLowerCase(Locale.ROOT))) {
        return Optional.empty();
      }
      return ProxyUrls.parse(
          s,
          "proxy",
          Optional.empty(),
          Optional.empty(),
          false,
          message -> f.error("proxy", message));
    }
    return Fields.of(raw, f.file(), f.child("proxy"), f.problems(), PROXY_KEYS)
        .flatMap(
            p -> {
              Optional<String> url = p.string("url");
              if (url.isEmpty()) {
                p.error("url", "is required");
                return Optional.empty();
              }
              Optional<String> user = p.string("username").filter(u -> !u.isBlank());
              Optional<Secret> password = Optional.empty();
              Optional<String> passwordEnv = p.string("password_env");
              if (passwordEnv.isPresent()) {
                if (user.isEmpty()) {
                  p.error("password_env", "needs a username");
                }
                String value = env.apply(passwordEnv.get());
                if (value == null || value.isEmpty()) {
                  p.error(
                      "password_env", "environment variable " + passwordEnv.get() + " is not set");
                } else {
                  password = Optional.of(new Secret(value));
                }
              }
              return ProxyUrls.parse(
                  url.get(), "proxy", user, password, false, message -> p.error("url", message));
            });
  }

  private static Path resolve(String configFile, String name) {
    Path p = Path.of(name.trim());
    Path parent = configFile.isEmpty() ? null : Path.of(configFile).toAbsolutePath().getParent();
    return (p.isAbsolute() || parent == null ? p : parent.resolve(p)).normalize();
  }
}
