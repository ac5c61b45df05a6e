package org.llmgateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;

/**
 * Who may call the admin API: a client presenting the admin token in a header (scripts, curl), or a
 * browser with a console session cookie. A session's state-changing calls (anything but GET and
 * HEAD) must also carry the session's CSRF token in {@code X-CSRF-Token}: a page on another site
 * can neither read the token nor send that header (the cookie is {@code SameSite=Strict} besides).
 * No {@code Origin}/{@code Host} comparison: reverse proxies rewrite {@code Host}, and the token
 * already decides. Failures are 401 (who are you) or 403 (CSRF).
 */
final class AdminAccess {
  static final String CSRF_HEADER = "X-CSRF-Token";

  private final AdminToken token;
  private final Sessions sessions;

  /**
   * An authenticated caller: by token (no session) or by session. {@code operator} names them in
   * the history.
   */
  record Caller(String operator, String client, Optional<Sessions.Session> session) {}

  AdminAccess(AdminToken token, Sessions sessions) {
    this.token = token;
    this.sessions = sessions;
  }

  Caller check(HttpServletRequest request) {
    if (AdminToken.presented(request) != null) {
      token.check(request);
      return new Caller("admin token", request.getRemoteAddr(), Optional.empty());
    }
    Sessions.Session s =
        sessions
            .find(request)
            .orElseThrow(
                () ->
                    new GatewayException(
                        ErrorKind.UNAUTHORIZED,
                        "missing admin token (X-Admin-Token or Authorization: Bearer) or console session",
                        "missing_admin_token"));
    String method = request.getMethod();
    if (!method.equals("GET")
        && !method.equals("HEAD")
        && !s.csrfMatches(request.getHeader(CSRF_HEADER))) {
      throw new GatewayException(
          ErrorKind.FORBIDDEN,
          "missing or wrong " + CSRF_HEADER + " header: reload the console page",
          "csrf_failed");
    }
    return new Caller(s.operator, request.getRemoteAddr(), Optional.of(s));
  }
}
