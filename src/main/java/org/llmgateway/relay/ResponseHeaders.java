package org.llmgateway.relay;

import jakarta.servlet.http.HttpServletResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Copies upstream response headers to the client, minus hop-by-hop headers (and those the {@code
 * Connection} header names), cookies, and headers the gateway sets itself. The upstream's request
 * id is kept as {@code X-Upstream-Request-Id}, since the gateway's own id is authoritative.
 */
final class ResponseHeaders {
  static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "trailers",
          "transfer-encoding",
          "upgrade");
  private static final Set<String> OWN =
      Set.of(
          "content-length",
          "content-type",
          "set-cookie",
          "set-cookie2",
          "date",
          "server",
          "x-request-id",
          "cache-control",
          "x-accel-buffering");

  private ResponseHeaders() {}

  /**
   * Copies headers; {@code keepLength} keeps {@code Content-Length} for bodies relayed unchanged.
   */
  static void copy(
      Map<String, List<String>> upstream, HttpServletResponse response, boolean keepLength) {
    Set<String> named = connectionTokens(upstream);
    for (Map.Entry<String, List<String>> h : upstream.entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(":") || HOP_BY_HOP.contains(name) || named.contains(name)) {
        continue;
      }
      if (name.equals("x-request-id")) {
        h.getValue().forEach(v -> response.addHeader("X-Upstream-Request-Id", v));
      } else if (name.equals("content-type")) {
        response.setContentType(h.getValue().get(0));
      } else if (name.equals("content-length")) {
        if (keepLength) {
          try {
            response.setContentLengthLong(Long.parseLong(h.getValue().get(0).trim()));
          } catch (NumberFormatException ignored) {
            // let the container chunk the body
          }
        }
      } else if (name.equals("cache-control")) {
        response.setHeader("Cache-Control", h.getValue().get(0));
      } else if (!OWN.contains(name)) {
        for (String v : h.getValue()) {
          response.addHeader(h.getKey(), v);
        }
      }
    }
  }

  private static Set<String> connectionTokens(Map<String, List<String>> upstream) {
    List<String> connection = upstream.get("connection");
    if (connection == null) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (String v : connection) {
      for (String token : v.split(",")) {
        out.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }
}
