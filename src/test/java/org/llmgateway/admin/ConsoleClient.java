package org.llmgateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.llmgateway.testing.GatewayUnderTest;

/**
 * A browser-like HTTP client of the console: form login, then the session cookie and its CSRF
 * token.
 */
final class ConsoleClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final GatewayUnderTest gw;
  private String cookie;
  private String csrf;

  ConsoleClient(GatewayUnderTest gw) {
    this.gw = gw;
  }

  /** POSTs the login form; on success keeps the session cookie and fetches the CSRF token. */
  HttpResponse<String> login(String token, String operator, String next, String... headers) {
    String form =
        "token="
            + enc(token)
            + "&operator="
            + enc(operator)
            + (next == null ? "" : "&next=" + enc(next));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(gw.url("/admin/login")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = gw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    Optional<String> set = r.headers().firstValue("Set-Cookie");
    if (set.isPresent() && set.get().startsWith(Sessions.COOKIE + "=")) {
      cookie = set.get().substring(0, set.get().indexOf(';'));
      csrf = json(get("/admin/session")).get("csrf_token").asText();
    }
    return r;
  }

  String cookie() {
    return cookie;
  }

  String csrf() {
    return csrf;
  }

  HttpResponse<String> get(String path) {
    return gw.send(base(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A state change with the session cookie and its CSRF token. */
  HttpResponse<String> send(String method, String path, String json) {
    return sendWith(method, path, json, "X-CSRF-Token", csrf);
  }

  HttpResponse<String> sendWith(String method, String path, String json, String... headers) {
    HttpRequest.Builder b =
        base(path)
            .setHeader("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    return gw.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder base(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url(path)));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return b;
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
