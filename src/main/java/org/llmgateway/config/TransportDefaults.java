package org.llmgateway.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gateway-wide transport settings, read from the environment once per load: {@code
 * GATEWAY_CA_FILE} (a PEM bundle of CAs trusted in addition to the JDK's), and the standard {@code
 * HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} variables (upper or lower case). A
 * provider's own {@code ca_file} and {@code proxy} add to or replace these.
 */
record TransportDefaults(
    List<X509Certificate> trust,
    List<String> trustSources,
    Optional<EgressProxy> httpsProxy,
    Optional<EgressProxy> httpProxy,
    List<String> noProxy) {

  static final String CA_FILE = "GATEWAY_CA_FILE";

  static TransportDefaults from(Function<String, String> env, Problems problems) {
    List<X509Certificate> trust = List.of();
    List<String> sources = List.of();
    Optional<String> caFile = variable(env, CA_FILE);
    if (caFile.isPresent()) {
      Path file = Path.of(caFile.get()).toAbsolutePath().normalize();
      trust = PemCertificates.read(file, message -> problems.add("", CA_FILE, message));
      sources = List.of(CA_FILE + "=" + file);
    }
    Optional<EgressProxy> https = proxy(env, "HTTPS_PROXY", problems);
    Optional<EgressProxy> http = proxy(env, "HTTP_PROXY", problems);
    List<String> noProxy = new ArrayList<>();
    variable(env, "NO_PROXY")
        .ifPresent(
            v -> {
              for (String part : v.split(",")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                if (!p.isEmpty()) {
                  noProxy.add(p);
                }
              }
            });
    return new TransportDefaults(trust, sources, https, http, List.copyOf(noProxy));
  }

  /**
   * The proxy from the environment for a URL of {@code scheme} and {@code host}, unless {@code
   * NO_PROXY} names it.
   */
  Optional<EgressProxy> proxyFor(String scheme, String host) {
    Optional<EgressProxy> proxy = scheme.equalsIgnoreCase("https") ? httpsProxy : httpProxy;
    return proxy.isPresent() && bypassed(host) ? Optional.empty() : proxy;
  }

  /**
   * curl's rules: {@code *} matches all; an entry matches the host itself and its subdomains; a
   * leading dot is optional.
   */
  boolean bypassed(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    for (String entry : noProxy) {
      String e = entry.startsWith("*.") ? entry.substring(1) : entry;
      e = e.startsWith(".") ? e.substring(1) : e;
      int colon = e.lastIndexOf(':');
      if (colon > 0 && e.indexOf(':') == colon) {
        e = e.substring(0, colon); // host:port entries: the port is not checked
      }
      if (e.equals("*") || h.equals(e) || h.endsWith("." + e)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<EgressProxy> proxy(
      Function<String, String> env, String name, Problems problems) {
    return variable(env, name)
        .flatMap(
            v ->
                ProxyUrls.parse(
                    v,
                    name,
                    Optional.empty(),
                    Optional.empty(),
                    message -> problems.add("", name, message)));
  }

  /**
   * The upper-case variable, else the lower-case one (curl reads {@code http_proxy} only in lower
   * case).
   */
  private static Optional<String> variable(Function<String, String> env, String name) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      v = env.apply(name.toLowerCase(Locale.ROOT));
    }
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }
}
