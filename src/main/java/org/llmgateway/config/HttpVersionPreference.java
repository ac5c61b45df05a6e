package org.llmgateway.config;

import java.util.Locale;
import java.util.Optional;

/** A provider's {@code http_version}: which HTTP version the gateway speaks to it. */
public enum HttpVersionPreference {
  /**
   * HTTP/2 over TLS when the provider offers it by ALPN, else HTTP/1.1; plain {@code http://} is
   * always HTTP/1.1.
   */
  AUTO("auto"),
  /** Always HTTP/1.1. */
  HTTP_1_1("1.1"),
  /** HTTP/2 over TLS only: an answer over HTTP/1.1 fails the attempt. */
  HTTP_2("2");

  private final String configName;

  HttpVersionPreference(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /**
   * Accepts {@code auto}, {@code 1.1}, {@code 2} (and {@code http/1.1}, {@code http/2}, {@code
   * h2}).
   */
  public static Optional<HttpVersionPreference> fromConfigName(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "auto" -> Optional.of(AUTO);
      case "1.1", "http/1.1" -> Optional.of(HTTP_1_1);
      case "2", "2.0", "http/2", "h2" -> Optional.of(HTTP_2);
      default -> Optional.empty();
    };
  }
}
