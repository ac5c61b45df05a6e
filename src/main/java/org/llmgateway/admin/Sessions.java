package org.llmgateway.admin;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, in memory: created by a login with the admin token, ended by logout, after
 * {@link #IDLE} without use or {@link #LIFETIME} after login, and when the process stops. The
 * cookie carries 256 random bits; the map is keyed by their SHA-256, so the ids themselves are kept
 * nowhere. Each session has its own CSRF token, which state-changing calls must echo in {@code
 * X-CSRF-Token}. At most {@link #MAX} sessions: a new login ends the oldest. Thread-safe.
 */
final class Sessions {
  static final String COOKIE = "llmgw_console";
  static final Duration IDLE = Duration.ofHours(8);
  static final Duration LIFETIME = Duration.ofHours(24);
  static final int MAX = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Map<String, Session> byDigest = new ConcurrentHashMap<>();

  /** One logged-in browser. */
  static final class Session {
    final String digest;
    final String csrf;
    final String operator;
    final String client;
    final Instant created;
    volatile Instant lastSeen;

    Session(String digest, String csrf, String operator, String client, Instant created) {
      this.digest = digest;
      this.csrf = csrf;
      this.operator = operator;
      this.client = client;
      this.created = created;
      this.lastSeen = created;
    }

    Instant expires() {
      Instant idle = lastSeen.plus(IDLE);
      Instant end = created.plus(LIFETIME);
      return idle.isBefore(end) ? idle : end;
    }

    boolean csrfMatches(String presented) {
      return presented != null
          && MessageDigest.isEqual(
              csrf.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A new session and the cookie value that names it. */
  record Created(Session session, String cookieValue) {}

  Sessions(Clock clock) {
    this.clock = clock;
  }

  Created create(String operator, String client) {
    Instant now = clock.instant();
    byDigest.values().removeIf(s -> !s.expires().isAfter(now));
    while (byDigest.size() >= MAX) {
      byDigest.values().stream()
          .min(Comparator.comparing(s -> s.created))
          .ifPresent(s -> byDigest.remove(s.digest));
    }
    String id = random();
    Session s = new Session(digest(id), random(), operator, client, now);
    byDigest.put(s.digest, s);
    return new Created(s, id);
  }

  /** The live session named by the request's cookie; touching it extends its idle time. */
  Optional<Session> find(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    for (Cookie c : cookies) {
      if (!COOKIE.equals(c.getName()) || c.getValue() == null || c.getValue().isEmpty()) {
        continue;
      }
      Session s = byDigest.get(digest(c.getValue()));
      if (s != null) {
        if (!s.expires().isAfter(now)) {
          byDigest.remove(s.digest);
          continue;
        }
        s.lastSeen = now;
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  void end(Session s) {
    byDigest.remove(s.digest);
  }

  /**
   * The {@code Set-Cookie} value: scoped to the admin paths, {@code HttpOnly}, {@code
   * SameSite=Strict}, and {@code Secure} when the browser reached us over TLS (directly or, by
   * {@code X-Forwarded-Proto}, through a proxy).
   */
  static String cookie(HttpServletRequest request, String value, boolean clear) {
    StringBuilder c =
        new StringBuilder(COOKIE)
            .append('=')
            .append(clear ? "" : value)
            .append("; Path=")
            .append(request.getContextPath())
            .append("/admin")
            .append("; HttpOnly; SameSite=Strict");
    if (clear) {
      c.append("; Max-Age=0");
    }
    if (request.isSecure() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"))) {
      c.append("; Secure");
    }
    return c.toString();
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String digest(String id) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
