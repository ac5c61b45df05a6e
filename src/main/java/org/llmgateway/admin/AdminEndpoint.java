package org.llmgateway.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.llmgateway.config.Provider;
import org.llmgateway.configcenter.ConfigCenter;
import org.llmgateway.configcenter.ConfigHistory;
import org.llmgateway.core.Gateway;
import org.llmgateway.core.Settings;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.fleet.Fleet;
import org.llmgateway.http.Endpoint;
import org.llmgateway.http.Json;
import org.llmgateway.observe.Exchange;
import org.llmgateway.observe.InFlight;
import org.llmgateway.observe.Stats;
import org.llmgateway.observe.Telemetry;
import org.llmgateway.observe.ViewJson;
import org.llmgateway.routing.Snapshot;

/**
 * The admin routes. The console's pages, login and assets ({@link ConsolePages}) come first; every
 * other request is authenticated first ({@link AdminAccess}: the token, or a console session with
 * its CSRF token for changes; 401 before anything else, so unknown paths reveal nothing), then:
 * {@code GET /admin/catalog}, {@code GET /admin/stats?window=N}, {@code GET
 * /admin/stats/breakdown?window=N}, {@code GET /admin/keys}, {@code POST
 * /admin/keys/{provider}/{keyId}/reset}, {@code GET /admin/limits}, {@code GET /admin/live}, {@code
 * GET /admin/session}, {@code POST /admin/logout}, and the config center under {@code
 * /admin/config} ({@link ConfigRoutes}); other methods 405, other paths 404. Build it only when an
 * admin token is configured ({@link #create}); without one, the admin paths and the console are
 * 404.
 */
public final class AdminEndpoint implements Endpoint {
  private static final Logger LOG = LogManager.getLogger(AdminEndpoint.class);
  private static final int DEFAULT_WINDOW = 60;
  private static final int LIVE_LIMIT = 200;

  /**
   * Where the config center keeps saved versions (default: {@code config-history} in the log
   * directory).
   */
  public static final String HISTORY_DIR_SETTING = "GATEWAY_CONFIG_HISTORY_DIR";

  /**
   * Facts about the running process shown in the catalog.
   *
   * @param fleet the fleet's shared state when Redis is configured: {@code /admin/stats} then shows
   *     every replica's totals and their sum
   */
  public record Runtime(String version, Instant startedAt, Optional<Fleet> fleet) {}

  private static final TypeReference<LinkedHashMap<String, Object>> STATS_BODY =
      new TypeReference<>() {};

  private final Gateway gateway;
  private final Stats stats;
  private final InFlight inFlight;
  private final Runtime runtime;
  private final Sessions sessions;
  private final AdminAccess access;
  private final ConsolePages pages;
  private final ConfigRoutes config;
  private final Endpoint catalog = ((Endpoint) this::catalog).only("GET", "HEAD");
  private final Endpoint statsView = ((Endpoint) this::stats).only("GET", "HEAD");
  private final Endpoint breakdown = ((Endpoint) this::breakdown).only("GET", "HEAD");
  private final Endpoint keys = ((Endpoint) this::keys).only("GET", "HEAD");
  private final Endpoint limits = ((Endpoint) this::limits).only("GET", "HEAD");
  private final Endpoint live = ((Endpoint) this::live).only("GET", "HEAD");

  private AdminEndpoint(Gateway gateway, Telemetry telemetry, Runtime runtime, String token) {
    this.gateway = gateway;
    this.stats = telemetry.stats();
    this.inFlight = telemetry.inFlight();
    this.runtime = runtime;
    AdminToken adminToken = new AdminToken(token);
    this.sessions = new Sessions(gateway.clock());
    this.access = new AdminAccess(adminToken, sessions);
    this.pages = new ConsolePages(adminToken, sessions, new LoginThrottle(gateway.clock()));
    this.config =
        new ConfigRoutes(
            new ConfigCenter(
                gateway, new ConfigHistory(historyDir(gateway.settings()), gateway.clock())));
  }

  /** The admin API and console for {@code token}. */
  public static Endpoint create(
      Gateway gateway, Telemetry telemetry, Runtime runtime, String token) {
    return new AdminEndpoint(gateway, telemetry, runtime, token);
  }

  /** {@code GATEWAY_CONFIG_HISTORY_DIR}, else {@code config-history} in the log directory. */
  static Path historyDir(Settings settings) {
    String dir = settings.env().apply(HISTORY_DIR_SETTING);
    return dir == null || dir.isBlank()
        ? settings.logDir().resolve("config-history")
        : Path.of(dir.trim());
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.route("admin");
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (pages.handles(path)) {
      pages.handle(path, request, response, exchange);
      return;
    }
    AdminAccess.Caller caller = access.check(request);
    switch (path) {
      case "/admin/catalog" -> catalog.handle(request, response, exchange);
      case "/admin/stats" -> statsView.handle(request, response, exchange);
      case "/admin/stats/breakdown" -> breakdown.handle(request, response, exchange);
      case "/admin/keys" -> keys.handle(request, response, exchange);
      case "/admin/limits" -> limits.handle(request, response, exchange);
      case "/admin/live" -> live.handle(request, response, exchange);
      case "/admin/session" ->
          ((Endpoint) (rq, rs, ex) -> ex.sent(write(rs, 200, session(caller))))
              .only("GET", "HEAD")
              .handle(request, response, exchange);
      case "/admin/logout" ->
          ((Endpoint)
                  (rq, rs, ex) -> {
                    caller.session().ifPresent(sessions::end);
                    rs.addHeader("Set-Cookie", Sessions.cookie(rq, "", true));
                    ex.sent(write(rs, 200, Map.of("logged_out", true)));
                  })
              .only("POST")
              .handle(request, response, exchange);
      default -> {
        if (path.equals("/admin/config") || path.startsWith("/admin/config/")) {
          config.handle(path, caller, request, response, exchange);
          return;
        }
        String[] parts = path.split("/", -1); // "", "admin", "keys", provider, keyId, "reset"
        if (parts.length == 6
            && parts[2].equals("keys")
            && parts[5].equals("reset")
            && !parts[3].isEmpty()
            && !parts[4].isEmpty()) {
          String provider = URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
          String keyId = URLDecoder.decode(parts[4], StandardCharsets.UTF_8);
          ((Endpoint) (rq, rs, ex) -> reset(provider, keyId, rs, ex))
              .only("POST")
              .handle(request, response, exchange);
          return;
        }
        throw new GatewayException(
            ErrorKind.NOT_FOUND,
            "unknown admin route: " + request.getMethod() + " " + path,
            "not_found");
      }
    }
  }

  private void catalog(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.sent(write(response, 200, Catalog.of(gateway, snapshot(), runtime)));
  }

  private void stats(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    Stats.View view = stats.view(window(request.getParameter("window")));
    if (runtime.fleet().isEmpty()) {
      exchange.sent(write(response, 200, view));
      return;
    }
    Map<String, Object> body = ViewJson.MAPPER.convertValue(view, STATS_BODY);
    body.put("fleet", FleetStatsView.of(runtime.fleet().get(), view));
    exchange.sent(write(response, 200, body));
  }

  private void breakdown(
      HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.sent(write(response, 200, stats.breakdown(window(request.getParameter("window")))));
  }

  private void live(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    List<InFlight.Request> all = inFlight.view(Integer.MAX_VALUE);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("now", gateway.clock().instant().toString());
    out.put("in_flight", all.size());
    out.put("active_streams", stats.activeStreams());
    out.put("requests", all.subList(0, Math.min(LIVE_LIMIT, all.size())));
    exchange.sent(write(response, 200, out));
  }

  private static Map<String, Object> session(AdminAccess.Caller caller) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("operator", caller.operator());
    out.put("via", caller.session().isPresent() ? "session" : "token");
    out.put("csrf_token", caller.session().map(s -> s.csrf).orElse(null));
    out.put("expires_at", caller.session().map(s -> s.expires().toString()).orElse(null));
    return out;
  }

  private void limits(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.sent(write(response, 200, LimitsView.of(gateway, snapshot())));
  }

  private void keys(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.sent(write(response, 200, KeysView.of(gateway, snapshot())));
  }

  private void reset(String provider, String keyId, HttpServletResponse response, Exchange exchange)
      throws IOException {
    Provider p = snapshot().config().providers().get(provider);
    if (p == null || p.keys().stream().noneMatch(k -> k.id().equals(keyId))) {
      throw new GatewayException(
          ErrorKind.NOT_FOUND,
          "unknown provider key: " + provider + "/" + keyId + " is not in the active configuration",
          "not_found");
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
    throw new GatewayException(
        ErrorKind.INVALID_REQUEST,
        "window must be a whole number of minutes from 1 to "
            + Stats.MINUTES
            + ", got \""
            + raw
            + "\"");
  }

  private Snapshot snapshot() {
    return gateway.readySnapshot();
  }

  /** Admin views are never cached (they show live state and come with credentials). */
  static int write(HttpServletResponse response, int status, Object value) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    return Json.write(response, status, ViewJson.MAPPER.writeValueAsBytes(value));
  }
}
