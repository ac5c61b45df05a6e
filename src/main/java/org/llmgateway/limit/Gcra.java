package org.llmgateway.limit;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The generic cell rate algorithm over one gateway key's two limits, in nanoseconds. Each limit
 * keeps a theoretical arrival time ({@code tat}): how far ahead of now its budget has been used, in
 * units of its emission interval {@code T = 60 s / limit}. The burst tolerance is the whole minute
 * ({@code limit * T}), so a fresh key may use its full limit at once.
 *
 * <p>Requests: one is admitted when {@code max(tat, now) + T - now <= limit * T}, and then moves
 * {@code tat} by {@code T}. Tokens: a request is admitted while at least one token is left, and
 * {@link #charge} moves {@code tat} by {@code tokens * T} afterwards, possibly beyond the minute
 * (debt), which refuses requests until it has drained. A limit that changed since the last use is
 * rescaled: what was used stays used (counted in requests or tokens), so a raised limit gives the
 * difference at once and a lowered one refuses until the use is below it. Not thread-safe: callers
 * lock each key's instance.
 */
final class Gcra {
  static final long MINUTE_NANOS = 60_000_000_000L;

  private long requestTat;
  private long requestInterval;
  private long tokenTat;
  private long tokenInterval;

  /** Decides one request at {@code now} (epoch nanoseconds) under the given limits. */
  RateDecision admit(OptionalLong rpm, OptionalLong tpm, long now) {
    return decide(rpm, tpm, now, true);
  }

  /**
   * What {@link #admit} would decide now and what is left, changing nothing: for the admin view.
   */
  RateDecision peek(OptionalLong rpm, OptionalLong tpm, long now) {
    return decide(rpm, tpm, now, false);
  }

  private RateDecision decide(OptionalLong rpm, OptionalLong tpm, long now, boolean count) {
    long wait = 0;
    LimitKind refused = null;
    long rInterval = 0;
    long rTat = now;
    if (rpm.isPresent()) {
      rInterval = interval(rpm.getAsLong());
      rTat = Math.max(now, rescale(requestTat, requestInterval, rInterval, now));
      long over = rTat + rInterval - now - rInterval * rpm.getAsLong();
      if (over > 0) {
        wait = over;
        refused = LimitKind.REQUESTS;
      }
    }
    long tInterval = 0;
    long tTat = now;
    if (tpm.isPresent()) {
      tInterval = interval(tpm.getAsLong());
      tTat = Math.max(now, rescale(tokenTat, tokenInterval, tInterval, now));
      long over = tTat + tInterval - now - tInterval * tpm.getAsLong();
      if (over > wait) {
        wait = over;
        refused = LimitKind.TOKENS;
      }
    }
    if (refused == null && count) {
      if (rpm.isPresent()) {
        rTat += rInterval;
        requestTat = rTat;
        requestInterval = rInterval;
      }
      if (tpm.isPresent()) {
        tokenTat = tTat;
        tokenInterval = tInterval;
      }
    }
    return new RateDecision(
        Optional.ofNullable(refused),
        rpm.isPresent()
            ? Optional.of(quota(rpm.getAsLong(), rInterval, rTat, now))
            : Optional.empty(),
        tpm.isPresent()
            ? Optional.of(quota(tpm.getAsLong(), tInterval, tTat, now))
            : Optional.empty(),
        wait);
  }

  /** Charges {@code tokens} at {@code now} against a budget of {@code tpm} per minute. */
  void charge(long tpm, long tokens, long now) {
    if (tokens <= 0) {
      return;
    }
    long interval = interval(tpm);
    long tat = Math.max(now, rescale(tokenTat, tokenInterval, interval, now));
    long cost =
        tokens > Long.MAX_VALUE / interval ? Long.MAX_VALUE / 2 : tokens * interval; // saturate
    tokenTat = tat > Long.MAX_VALUE - cost ? Long.MAX_VALUE / 2 : tat + cost;
    tokenInterval = interval;
  }

  /** The emission interval of a limit per minute. */
  static long interval(long perMinute) {
    return MINUTE_NANOS / perMinute;
  }

  /** What is left and when the budget is full again, with the budget used up to {@code tat}. */
  static Quota quota(long limit, long interval, long tat, long now) {
    long used = Math.max(0, tat - now);
    long remaining = Math.max(0, (interval * limit - used) / interval);
    return new Quota(limit, Math.min(limit, remaining), used);
  }

  /** {@code tat} computed with {@code oldInterval}, expressed in {@code newInterval}. */
  static long rescale(long tat, long oldInterval, long newInterval, long now) {
    if (oldInterval == 0 || oldInterval == newInterval || tat <= now) {
      return tat;
    }
    return now + (long) ((double) (tat - now) * newInterval / oldInterval);
  }
}
