package org.llmgateway.limit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The response headers of a decision, as OpenAI sends them: {@code x-ratelimit-limit-*}, {@code
 * x-ratelimit-remaining-*} and {@code x-ratelimit-reset-*} for each limit the key has (resets as
 * Go-style durations: {@code 120ms}, {@code 6s}, {@code 1m30s}), and {@code Retry-After} in whole
 * seconds, rounded up, when the request was refused.
 */
public final class RateLimitHeaders {
  /** The prefix of every rate-limit header but {@code Retry-After}. */
  public static final String PREFIX = "x-ratelimit-";

  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long MILLIS_PER_SECOND = 1_000L;
  private static final long MILLIS_PER_MINUTE = 60_000L;
  private static final long MILLIS_PER_HOUR = 3_600_000L;

  private RateLimitHeaders() {}

  public static Map<String, String> of(RateDecision decision) {
    Map<String, String> out = new LinkedHashMap<>(8);
    if (!decision.admitted()) {
      out.put("Retry-After", Long.toString(retryAfterSeconds(decision.retryAfterNanos())));
    }
    decision.requests().ifPresent(q -> put(out, LimitKind.REQUESTS, q));
    decision.tokens().ifPresent(q -> put(out, LimitKind.TOKENS, q));
    return out;
  }

  /** Whole seconds, rounded up, at least 1. */
  public static long retryAfterSeconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  /** A duration as Go formats it ({@code 0s}, {@code 120ms}, {@code 6s}, {@code 1m30.5s}). */
  public static String duration(long nanos) {
    long ms = (Math.max(0, nanos) + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI;
    if (ms == 0) {
      return "0s";
    }
    if (ms < MILLIS_PER_SECOND) {
      return ms + "ms";
    }
    StringBuilder b = new StringBuilder(12);
    if (ms >= MILLIS_PER_HOUR) {
      b.append(ms / MILLIS_PER_HOUR).append('h');
    }
    if (ms >= MILLIS_PER_MINUTE) {
      b.append(ms % MILLIS_PER_HOUR / MILLIS_PER_MINUTE).append('m');
    }
    long secondMillis = ms % MILLIS_PER_MINUTE;
    b.append(secondMillis / MILLIS_PER_SECOND);
    long fraction = secondMillis % MILLIS_PER_SECOND;
    if (fraction > 0) {
      String digits = String.format("%03d", fraction);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      b.append('.').append(digits, 0, end);
    }
    return b.append('s').toString();
  }

  private static void put(Map<String, String> out, LimitKind kind, Quota q) {
    out.put(PREFIX + "limit-" + kind.label(), Long.toString(q.limit()));
    out.put(PREFIX + "remaining-" + kind.label(), Long.toString(q.remaining()));
    out.put(PREFIX + "reset-" + kind.label(), duration(q.resetNanos()));
  }
}
