package org.llmgateway.http;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.core.Gateway;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.limit.LimitKind;
import org.llmgateway.limit.Quota;
import org.llmgateway.limit.RateDecision;
import org.llmgateway.limit.RateLimitHeaders;
import org.llmgateway.observe.Exchange;

/**
 * A gateway key's own {@code rpm}/{@code tpm} limits on the request path: checked after client
 * authentication and before routing, charged with the answer's token usage afterwards. A refusal is
 * the gateway's 429 (error code {@code rate_limit_exceeded}); it never touches provider keys, whose
 * cooldowns come only from upstream 429s.
 */
final class RateLimitCheck {
  private RateLimitCheck() {}

  /**
   * Counts one request of {@code key}; returns the response to relay into (carrying the key's
   * rate-limit headers when it has limits), or throws a 429 with them when the key is over a limit.
   */
  static HttpServletResponse admit(Gateway gateway, GatewayKey key, HttpServletResponse response) {
    if (!key.limited()) {
      return response;
    }
    RateDecision decision = gateway.rateLimits().admit(key);
    Map<String, String> headers = RateLimitHeaders.of(decision);
    if (decision.admitted()) {
      return new RateLimitedResponse(response, headers);
    }
    LimitKind kind = decision.refusedBy().orElseThrow();
    gateway.observer().rateLimited(key.keyId(), kind.label());
    Quota quota =
        (kind == LimitKind.REQUESTS ? decision.requests() : decision.tokens()).orElseThrow();
    throw new GatewayException(
        kind == LimitKind.REQUESTS
            ? ErrorKind.RATE_LIMITED_REQUESTS
            : ErrorKind.RATE_LIMITED_TOKENS,
        "Rate limit reached for gateway key "
            + key.keyId()
            + (kind == LimitKind.REQUESTS
                ? " on requests per min (RPM): Limit "
                : " on tokens per min (TPM): Limit ")
            + quota.limit()
            + ". Please try again in "
            + RateLimitHeaders.duration(decision.retryAfterNanos())
            + ".",
        "rate_limit_exceeded",
        headers);
  }

  /** Charges the tokens the upstream reported for this request to {@code key}'s {@code tpm}. */
  static void charge(Gateway gateway, GatewayKey key, Exchange exchange) {
    long tokens = exchange.tokens().total();
    if (key.tpm().isPresent() && tokens > 0) {
      gateway.rateLimits().charge(key, tokens);
    }
  }
}
