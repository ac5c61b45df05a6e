package org.llmgateway.http;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.routing.Snapshot;

/**
 * Client authentication with gateway keys, read in the original's order: {@code Authorization:
 * Bearer <k>}, a raw {@code Authorization: sk-...}, {@code x-api-key}, {@code ?api_key=}. Fails
 * closed: with auth on and no key configured, every request is refused.
 */
final class ClientAuth {
  private ClientAuth() {}

  /**
   * The caller's gateway key, or empty when auth is off; throws 401 when it is missing, unknown or
   * disabled.
   */
  static Optional<GatewayKey> authenticate(
      HttpServletRequest request, Snapshot snapshot, boolean enabled) {
    if (!enabled) {
      return Optional.empty();
    }
    String presented = presented(request);
    if (presented == null || presented.isEmpty()) {
      throw new GatewayException(ErrorKind.UNAUTHORIZED, "missing API key", "missing_api_key");
    }
    GatewayKey key =
        snapshot
            .gatewayKey(presented)
            .orElseThrow(
                () ->
                    new GatewayException(
                        ErrorKind.UNAUTHORIZED, "invalid API key", "invalid_api_key"));
    if (!key.enabled()) {
      throw new GatewayException(ErrorKind.UNAUTHORIZED, "API key disabled", "api_key_disabled");
    }
    return Optional.of(key);
  }

  static String presented(HttpServletRequest request) {
    String auth = request.getHeader("Authorization");
    if (auth != null) {
      String a = auth.trim();
      if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return a.substring(7).trim();
      }
      if (a.startsWith("sk-")) {
        return a;
      }
    }
    String apiKey = request.getHeader("x-api-key");
    if (apiKey != null && !apiKey.isBlank()) {
      return apiKey.trim();
    }
    return queryParameter(request.getQueryString(), "api_key");
  }

  /** Reads one query parameter without making the container parse (and keep) the whole form. */
  static String queryParameter(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
