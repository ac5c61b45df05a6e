package org.llmgateway.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;

/**
 * Checks the admin token a caller presents in {@code X-Admin-Token: <t>} or {@code Authorization:
 * Bearer <t>}. Compares SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken
 * reveals neither the token nor its length. Immutable and thread-safe.
 */
final class AdminToken {
  private final byte[] digest;

  AdminToken(String token) {
    this.digest = sha256(token);
  }

  /** Returns normally for the right token; throws a 401 {@link GatewayException} otherwise. */
  void check(HttpServletRequest request) {
    String presented = presented(request);
    if (presented == null || presented.isEmpty()) {
      throw new GatewayException(
          ErrorKind.UNAUTHORIZED, "missing admin token", "missing_admin_token");
    }
    if (!MessageDigest.isEqual(digest, sha256(presented))) {
      throw new GatewayException(
          ErrorKind.UNAUTHORIZED, "invalid admin token", "invalid_admin_token");
    }
  }

  /** Whether {@code candidate} is the token (constant time). */
  boolean matches(String candidate) {
    return candidate != null
        && !candidate.isEmpty()
        && MessageDigest.isEqual(digest, sha256(candidate));
  }

  /** The token the request presents in a header, or null. */
  static String presented(HttpServletRequest request) {
    String header = request.getHeader("X-Admin-Token");
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    String auth = request.getHeader("Authorization");
    if (auth != null && auth.trim().regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.trim().substring(7).trim();
    }
    return null;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
