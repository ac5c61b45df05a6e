package org.llmgateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rate-limit headers in OpenAI's formats. */
class RateLimitHeadersTest {
  private static final long MS = 1_000_000L;

  @Test
  void resetsAreGoDurationsRoundedUpToTheMillisecond() {
    assertEquals("0s", RateLimitHeaders.duration(0));
    assertEquals("1ms", RateLimitHeaders.duration(1));
    assertEquals("120ms", RateLimitHeaders.duration(120 * MS));
    assertEquals("999ms", RateLimitHeaders.duration(999 * MS));
    assertEquals("1s", RateLimitHeaders.duration(1000 * MS));
    assertEquals("6s", RateLimitHeaders.duration(6000 * MS));
    assertEquals("12.06s", RateLimitHeaders.duration(12_060 * MS));
    assertEquals("1.5s", RateLimitHeaders.duration(1_500 * MS));
    assertEquals("1m0s", RateLimitHeaders.duration(60_000 * MS));
    assertEquals("1m30s", RateLimitHeaders.duration(90_000 * MS));
    assertEquals("1h0m0s", RateLimitHeaders.duration(3_600_000 * MS));
    assertEquals("2h3m4.005s", RateLimitHeaders.duration((7_384_005) * MS));
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
    assertEquals(1, RateLimitHeaders.retryAfterSeconds(1));
    assertEquals(6, RateLimitHeaders.retryAfterSeconds(6_000 * MS));
    assertEquals(7, RateLimitHeaders.retryAfterSeconds(6_000 * MS + 1));
  }

  @Test
  void aRefusalCarriesRetryAfterAndTheTriosOfTheLimitsTheKeyHas() {
    RateDecision refused =
        new RateDecision(
            Optional.of(LimitKind.REQUESTS),
            Optional.of(new Quota(10, 0, 60_000 * MS)),
            Optional.of(new Quota(5000, 4200, 9_600 * MS)),
            6_000 * MS);
    assertEquals(
        Map.of(
            "Retry-After", "6",
            "x-ratelimit-limit-requests", "10",
            "x-ratelimit-remaining-requests", "0",
            "x-ratelimit-reset-requests", "1m0s",
            "x-ratelimit-limit-tokens", "5000",
            "x-ratelimit-remaining-tokens", "4200",
            "x-ratelimit-reset-tokens", "9.6s"),
        RateLimitHeaders.of(refused));
    RateDecision admitted =
        new RateDecision(
            Optional.empty(), Optional.of(new Quota(10, 9, 6_000 * MS)), Optional.empty(), 0);
    assertEquals(
        Map.of(
            "x-ratelimit-limit-requests", "10",
            "x-ratelimit-remaining-requests", "9",
            "x-ratelimit-reset-requests", "6s"),
        RateLimitHeaders.of(admitted));
    assertEquals(Map.of(), RateLimitHeaders.of(RateDecision.UNLIMITED));
  }
}
