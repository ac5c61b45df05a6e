package org.llmgateway.http;

import java.util.Locale;
import java.util.Set;

/**
 * The path with its query as logged: values of secret-looking parameters ({@code api_key},
 * tokens...) redacted.
 */
final class AccessPaths {
  private static final Set<String> SECRET =
      Set.of(
          "api_key", "apikey", "key", "token", "access_token", "admin_token", "password", "secret");

  private AccessPaths() {}

  static String redact(String path, String query) {
    if (query == null || query.isEmpty()) {
      return path;
    }
    StringBuilder sb =
        new StringBuilder(path.length() + query.length() + 1).append(path).append('?');
    String[] pairs = query.split("&");
    for (int i = 0; i < pairs.length; i++) {
      if (i > 0) {
        sb.append('&');
      }
      int eq = pairs[i].indexOf('=');
      String name = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
      if (eq >= 0 && SECRET.contains(name.toLowerCase(Locale.ROOT))) {
        sb.append(name).append("=***");
      } else {
        sb.append(pairs[i]);
      }
    }
    return sb.toString();
  }
}
