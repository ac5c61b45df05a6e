package org.llmgateway.http;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.Map;
import org.llmgateway.limit.RateLimitHeaders;

/**
 * The response of a request admitted under its gateway key's rate limits: carries the key's {@code
 * x-ratelimit-*} headers, keeps them when the relay resets the response to fail over, and drops the
 * upstream's own {@code x-ratelimit-*} headers, which describe the provider's account, not the
 * client's key.
 */
final class RateLimitedResponse extends HttpServletResponseWrapper {
  private final Map<String, String> headers;

  RateLimitedResponse(HttpServletResponse response, Map<String, String> headers) {
    super(response);
    this.headers = headers;
    headers.forEach(super::setHeader);
  }

  @Override
  public void setHeader(String name, String value) {
    if (!rateLimitHeader(name)) {
      super.setHeader(name, value);
    }
  }

  @Override
  public void addHeader(String name, String value) {
    if (!rateLimitHeader(name)) {
      super.addHeader(name, value);
    }
  }

  @Override
  public void reset() {
    super.reset();
    headers.forEach(super::setHeader);
  }

  private static boolean rateLimitHeader(String name) {
    return name.regionMatches(
        true, 0, RateLimitHeaders.PREFIX, 0, RateLimitHeaders.PREFIX.length());
  }
}
