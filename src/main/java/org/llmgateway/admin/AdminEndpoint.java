package org.llmgateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.llmgateway.core.Gateway;
import org.llmgateway.config.Provider;
import org.llmgateway.http.Endpoint;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.observe.Exchange;
import org.llmgateway.observe.Stats;
import org.llmgateway.http.Json;
import org.llmgateway.observe.ViewJson;
import org.llmgateway.routing.Snapshot;

/**
 * The admin routes. Every request is authenticated first ({@link AdminToken}: 401 before anything else, so unknown
 * paths reveal nothing), then: {@code GET /admin/catalog}, {@code GET /admin/stats?window=N},
 * {@code GET /admin/keys}, {@code POST /admin/keys/{provider}/{keyId}/reset}; other methods 405, other paths 404.
 * Build it only when an admin token is configured ({@link #create}); without one, the admin paths are 404.
 */
public final class AdminEndpoint implements Endpoint {
  private static final Logger LOG = LogManager.getLogger(AdminEndpoint.class);
  private static final int DEFAULT_WINDOW = 60;

  /** Facts about the running process shown in the catalog. */
  public record Runtime(String version, Instant startedAt) {}

  private final Gateway gateway;
  private final Stats stats;
  private final Runtime runtime;
  private final AdminToken token;
  private final Endpoint catalog = ((Endpoint) this::catalog).only("GET", "HEAD");
  private final Endpoint statsView = ((Endpoint) this::stats).only("GET", "HEAD");
  private final Endpoint keys = ((Endpoint) this::keys).only("GET", "HEAD");

  private AdminEndpoint(Gateway gateway, Stats stats, Runtime runtime, String token) {
    this.gateway = gateway;
    this.stats = stats;
    this.runtime = runtime;
    this.token = new AdminToken(token);
  }

  /** The admin API for {@code token}. */
  public static Endpoint create(Gateway gateway, Stats stats, Runtime runtime, String token) {
    return new AdminEndpoint(gateway, stats, runtime, token);
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, Exchange exchange) throws IOException {
    exchange.route("admin");
    token.check(request);
    String path = request.getRequestURI().substring(request.getContextPath().length());
    switch (path) {
      case "/admin/catalog" -> catalog.handle(request, response, exchange);
      case "/admin/stats" -> statsView.handle(request, response, exchange);
      case "/admin/keys" -> keys.handle(request, response, exchange);
      default -> {
        String[] parts = path.split("/", -1); // "", "admin", "keys", provider, keyId, "reset"
        if (parts.length == 6 && parts[2].equals("keys") && parts[5].equals("reset") && !parts[3].isEmpty()
            && !parts[4].isEmpty()) {
          String provider = URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
          String keyId = URLDecoder.decode(parts[4], StandardCharsets.UTF_8);
          ((Endpoint) (rq, rs, ex) -> reset(provider, keyId, rs, ex)).only("POST").handle(request, response, exchange);
          return;
        }
        throw new GatewayException(ErrorKind.NOT_FOUND, "unknown admin route: " + request.getMethod() + " " + path,
            "not_found");
      }
    }
  }

  private void catalog(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.sent(write(response, 200, Catalog.of(gateway, snapshot(), runtime)));
  }

  private void stats(HttpServletRequest request, HttpServletResponse response, Exchange exchange) throws IOException {
    exchange.sent(write(response, 200, stats.view(window(request.getParameter("window")))));
  }

  private void keys(HttpServletRequest request, HttpServletResponse response, Exchange exchange) throws IOException {
    exchange.sent(write(response, 200, KeysView.of(gateway, snapshot())));
  }

  private void reset(String provider, String keyId, HttpServletResponse response, Exchange exchange)
      throws IOException {
    Provider p = snapshot().config().providers().get(provider);
    if (p == null || p.keys().stream().noneMatch(k -> k.id().equals(keyId))) {
      throw new GatewayException(ErrorKind.NOT_FOUND,
          "unknown provider key: " + provider + "/" + keyId + " is not in the active configuration", "not_found");
    }
    gateway.keys().reset(provider, keyId);
    LOG.info("admin: cooldown of key {}/{} reset", provider, keyId);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("provider", provider);
    body.put("reset", true);
    body.putAll(KeysView.key(keyId, gateway.keys().view(provider, keyId)));
    exchange.sent(write(response, 200, body));
  }

  /** {@code window} in minutes: default 60, 1 to 1440; anything else is a 400. */
  static int window(String raw) {
    if (raw == null || raw.isBlank()) {
      return DEFAULT_WINDOW;
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1 && n <= Stats.MINUTES) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new GatewayException(ErrorKind.INVALID_REQUEST,
        "window must be a whole number of minutes from 1 to " + Stats.MINUTES + ", got \"" + raw + "\"");
  }

  private Snapshot snapshot() {
    return gateway.readySnapshot();
  }

  /** Admin views are never cached (they show live state and come with credentials). */
  private static int write(HttpServletResponse response, int status, Object value) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    return Json.write(response, status, ViewJson.MAPPER.writeValueAsBytes(value));
  }
}
