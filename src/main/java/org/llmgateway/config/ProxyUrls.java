package org.llmgateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Parses proxy URLs as {@code HTTPS_PROXY} and the provider's {@code proxy} give them: {@code
 * http://[user:pass@]host[:port]} (a missing scheme means http, a missing port 80). Credentials
 * become a Basic {@code Proxy-Authorization} value; no message ever repeats them.
 */
final class ProxyUrls {
  private static final int DEFAULT_PORT = 80;

  private ProxyUrls() {}

  static Optional<EgressProxy> parse(
      String raw,
      String source,
      Optional<String> username,
      Optional<Secret> password,
      Consumer<String> error) {
    return parse(raw, source, username, password, true, error);
  }

  /**
   * With {@code passwordInUrl} false a password in the URL is an error (it belongs in an
   * environment variable).
   */
  static Optional<EgressProxy> parse(
      String raw,
      String source,
      Optional<String> username,
      Optional<Secret> password,
      boolean passwordInUrl,
      Consumer<String> error) {
    String s = raw.trim();
    if (!s.contains("://")) {
      s = "http://" + s;
    }
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      error.accept("is not a proxy URL: \"" + withoutUserInfo(s) + "\"");
      return Optional.empty();
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      error.accept(
          "must be an http:// proxy (HTTPS to the provider is tunnelled through it with CONNECT), got "
              + scheme
              + "://");
      return Optional.empty();
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      error.accept("has no proxy host: \"" + withoutUserInfo(s) + "\"");
      return Optional.empty();
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
      error.accept("must be just scheme, host and port, got a path");
      return Optional.empty();
    }
    Optional<String> user = username;
    Optional<Secret> pass = password;
    if (uri.getRawUserInfo() != null) {
      if (username.isPresent()) {
        error.accept("has credentials in the URL and in username/password_env: give them once");
        return Optional.empty();
      }
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      if (colon >= 0 && !passwordInUrl) {
        error.accept(
            "must not carry a password: a config file is shown and versioned; give username and "
                + "password_env instead");
        return Optional.empty();
      }
      user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
      pass =
          colon < 0 ? Optional.empty() : Optional.of(new Secret(decode(info.substring(colon + 1))));
    }
    String secret = password(pass);
    Optional<Secret> authorization =
        user.map(
            u ->
                new Secret(
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString((u + ":" + secret).getBytes(StandardCharsets.UTF_8))));
    int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
    return Optional.of(new EgressProxy(uri.getHost(), port, source, user, authorization));
  }

  private static String password(Optional<Secret> pass) {
    return pass.map(Secret::reveal).orElse("");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String withoutUserInfo(String s) {
    int at = s.lastIndexOf('@');
    int scheme = s.indexOf("://");
    return at > scheme && scheme >= 0
        ? s.substring(0, scheme + 3) + "***@" + s.substring(at + 1)
        : s;
  }
}
