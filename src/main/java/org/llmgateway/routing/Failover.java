package org.llmgateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one classifier of attempt outcomes: pure functions of status and error body, tested as a
 * table. It reads the error bodies of every dialect: Anthropic's 529 {@code overloaded_error} is a
 * provider failure like any 5xx, Gemini's {@code RESOURCE_EXHAUSTED} a key failure like a 429.
 */
public final class Failover {
  private static final List<String> KEY_PROBLEMS =
      List.of(
          "insufficient_quota",
          "invalid_api_key",
          "invalid api key",
          "incorrect api key",
          "api key not valid",
          "api_key_invalid",
          "billing",
          "quota exceeded",
          "quota_exceeded",
          "exceeded your current quota",
          "account_deactivated",
          "key has been disabled",
          "expired api key",
          "resource_exhausted",
          "credit balance is too low");
  private static final List<String> REQUEST_PROBLEMS =
      List.of(
          "context_length_exceeded",
          "maximum context length",
          "context length",
          "too many tokens",
          "string_above_max_length");

  private Failover() {}

  /**
   * The decision after the upstream answered with {@code status}; {@code errorBody} is its body (or
   * its start).
   */
  public static Decision decide(int status, String errorBody) {
    if (status >= 200 && status < 400) {
      return Decision.SUCCESS;
    }
    return switch (status) {
      case 401, 402, 403, 429 -> Decision.NEXT_KEY;
      case 408, 409, 425 -> Decision.NEXT_PROVIDER;
      case 400, 404 -> keyProblem(errorBody) ? Decision.NEXT_KEY : Decision.RELAY;
      default -> status >= 500 ? Decision.NEXT_PROVIDER : Decision.RELAY;
    };
  }

  /**
   * The decision after a network-level failure (refused, reset, DNS, TLS, timeout): always the next
   * provider.
   */
  public static Decision decideNetworkFailure() {
    return Decision.NEXT_PROVIDER;
  }

  /**
   * Whether an error body says the key or its quota is bad (never for context-length or validation
   * errors).
   */
  static boolean keyProblem(String body) {
    if (body == null || body.isEmpty()) {
      return false;
    }
    String b = body.toLowerCase(Locale.ROOT);
    for (String p : REQUEST_PROBLEMS) {
      if (b.contains(p)) {
        return false;
      }
    }
    for (String p : KEY_PROBLEMS) {
      if (b.contains(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * How long to cool a key down after {@link Decision#NEXT_KEY}: the upstream's {@code Retry-After}
   * on a 429 when it sends one (seconds or an HTTP date), else {@code dflt}. Zero means no
   * cooldown.
   */
  public static Duration cooldown(
      int status, Optional<String> retryAfter, Duration dflt, Clock clock) {
    if (dflt.isZero()) {
      return Duration.ZERO;
    }
    if (status == 429 && retryAfter.isPresent()) {
      String v = retryAfter.get().trim();
      try {
        long seconds = Long.parseLong(v);
        if (seconds >= 0) {
          return Duration.ofSeconds(Math.min(seconds, 86_400));
        }
      } catch (NumberFormatException notSeconds) {
        try {
          Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
          Duration d = Duration.between(clock.instant(), at);
          return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException ignored) {
          // fall back to the default
        }
      }
    }
    return dflt;
  }
}
