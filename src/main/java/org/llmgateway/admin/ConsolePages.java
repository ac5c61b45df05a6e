package org.llmgateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.http.Endpoint;
import org.llmgateway.observe.Exchange;

/**
 * The console's pages and assets, served from the classpath ({@code /console/*}, inside the jar and
 * the WAR alike): {@code /admin/login} (GET the form, POST the token), {@code /admin/ui/<page>}
 * (the console, for a session; else a redirect to the login with {@code next}), {@code
 * /admin/assets/<file>} (script and style; public, they hold no data), {@code /admin} (to the
 * overview). The token travels only in the login form's POST body; {@code next} is followed only to
 * a path of this console. Every page is sent with a strict Content-Security-Policy (no inline
 * script, nothing from another origin).
 */
final class ConsolePages {
  private static final Logger LOG = LogManager.getLogger(ConsolePages.class);
  static final Set<String> PAGES = Set.of("overview", "topology", "keys", "live", "config");
  static final String HOME = "/admin/ui/overview";
  private static final int MAX_NEXT = 512;
  private static final int MAX_OPERATOR = 64;
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  private static final Map<String, String> ASSET_TYPES =
      Map.of(
          "console.js", "text/javascript; charset=utf-8",
          "console.css", "text/css; charset=utf-8",
          "login.js", "text/javascript; charset=utf-8");

  private record Resource(byte[] body, String type, String etag) {}

  private final AdminToken token;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final Resource consolePage = load("console.html", "text/html; charset=utf-8");
  private final Resource loginPage = load("login.html", "text/html; charset=utf-8");
  private final Map<String, Resource> assets;

  ConsolePages(AdminToken token, Sessions sessions, LoginThrottle throttle) {
    this.token = token;
    this.sessions = sessions;
    this.throttle = throttle;
    Map<String, Resource> a = new HashMap<>();
    ASSET_TYPES.forEach((name, type) -> a.put(name, load(name, type)));
    this.assets = Map.copyOf(a);
  }

  /**
   * Whether {@code path} is a page or asset (served without the admin token; pages check the
   * session).
   */
  boolean handles(String path) {
    return path.equals("/admin")
        || path.equals("/admin/")
        || path.equals("/admin/login")
        || path.startsWith("/admin/ui/")
        || path.startsWith("/admin/assets/");
  }

  void handle(
      String path, HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    String ctx = request.getContextPath();
    if (path.equals("/admin") || path.equals("/admin/")) {
      ((Endpoint) (rq, rs, ex) -> redirect(rs, ctx + HOME))
          .only("GET", "HEAD")
          .handle(request, response, exchange);
    } else if (path.equals("/admin/login")) {
      ((Endpoint) this::login).only("GET", "HEAD", "POST").handle(request, response, exchange);
    } else if (path.startsWith("/admin/assets/")) {
      Resource r = assets.get(path.substring("/admin/assets/".length()));
      if (r == null) {
        throw new GatewayException(
            ErrorKind.NOT_FOUND, "unknown console asset: " + path, "not_found");
      }
      ((Endpoint) (rq, rs, ex) -> ex.sent(send(rq, rs, r)))
          .only("GET", "HEAD")
          .handle(request, response, exchange);
    } else {
      String page = path.substring("/admin/ui/".length());
      if (!PAGES.contains(page)) {
        throw new GatewayException(
            ErrorKind.NOT_FOUND, "unknown console page: " + path, "not_found");
      }
      ((Endpoint)
              (rq, rs, ex) -> {
                if (sessions.find(rq).isEmpty()) {
                  redirect(
                      rs,
                      ctx
                          + "/admin/login?next="
                          + URLEncoder.encode(ctx + path, StandardCharsets.UTF_8));
                } else {
                  ex.sent(send(rq, rs, consolePage));
                }
              })
          .only("GET", "HEAD")
          .handle(request, response, exchange);
    }
  }

  private void login(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    String ctx = request.getContextPath();
    String next = safeNext(request.getParameter("next"), ctx);
    if (!request.getMethod().equals("POST")) {
      if (sessions.find(request).isPresent()) {
        redirect(response, next);
      } else {
        exchange.sent(send(request, response, loginPage));
      }
      return;
    }
    String client = request.getRemoteAddr();
    Duration wait = throttle.wait(client);
    if (!wait.isZero()) {
      LOG.warn(
          "admin console: login from {} refused for {} s after repeated failures",
          client,
          wait.toSeconds());
      redirect(
          response,
          ctx
              + "/admin/login?error=locked&wait="
              + Math.max(1, wait.toMinutes() + 1)
              + "&next="
              + URLEncoder.encode(next, StandardCharsets.UTF_8));
      return;
    }
    String presented = request.getParameter("token");
    if (!token.matches(presented == null ? null : presented.trim())) {
      throttle.failed(client);
      LOG.warn("admin console: failed login from {}", client);
      redirect(
          response,
          ctx + "/admin/login?error=1&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
      return;
    }
    throttle.succeeded(client);
    String operator = operator(request.getParameter("operator"));
    Sessions.Created created = sessions.create(operator, request.getRemoteAddr());
    LOG.info("admin console: {} logged in from {}", operator, request.getRemoteAddr());
    response.addHeader("Set-Cookie", Sessions.cookie(request, created.cookieValue(), false));
    redirect(response, next);
  }

  /**
   * The name an operator gave at login, for the config history: printable, at most 64 characters.
   */
  static String operator(String raw) {
    if (raw == null) {
      return "admin";
    }
    StringBuilder out = new StringBuilder();
    raw.trim()
        .codePoints()
        .filter(c -> !Character.isISOControl(c))
        .limit(MAX_OPERATOR)
        .forEach(out::appendCodePoint);
    return out.isEmpty() ? "admin" : out.toString();
  }

  /**
   * {@code next} when it is a path of this console ({@code <context>/admin/...}, no scheme, no
   * host, no {@code ..}, no backslash or control character), else the overview. Keeps the login
   * from being an open redirect.
   */
  static String safeNext(String next, String ctx) {
    String home = ctx + HOME;
    if (next == null
        || next.isEmpty()
        || next.length() > MAX_NEXT
        || !next.startsWith(ctx + "/admin/")
        || next.startsWith("//")
        || next.contains("\\")
        || next.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      return home;
    }
    try {
      URI u = new URI(next);
      if (u.getScheme() != null
          || u.getRawAuthority() != null
          || u.getRawPath() == null
          || !u.getRawPath().equals(u.normalize().getRawPath())
          || u.getRawPath().contains("/..")
          || u.getRawPath().contains("%")) {
        return home;
      }
    } catch (URISyntaxException e) {
      return home;
    }
    return next;
  }

  static void redirect(HttpServletResponse response, String location) {
    response.setStatus(303);
    response.setHeader("Location", location);
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(0);
  }

  private static int send(HttpServletRequest request, HttpServletResponse response, Resource r)
      throws IOException {
    response.setHeader("Content-Security-Policy", CSP);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("ETag", r.etag());
    if (r.etag().equals(request.getHeader("If-None-Match"))) {
      response.setStatus(304);
      return 0;
    }
    response.setStatus(200);
    response.setContentType(r.type());
    response.setContentLength(r.body().length);
    if (!request.getMethod().equals("HEAD")) {
      response.getOutputStream().write(r.body());
    }
    return r.body().length;
  }

  private static Resource load(String name, String type) {
    try (InputStream in = ConsolePages.class.getResourceAsStream("/console/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "console resource missing from the classpath: /console/" + name);
      }
      byte[] body = in.readAllBytes();
      String etag =
          "\""
              + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 8)
              + "\"";
      return new Resource(body, type, etag);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
