package org.llmgateway.routing;

import java.time.Duration;

/**
 * When a provider's circuit opens and for how long. A circuit opens on evidence: at least {@code
 * failureRatePercent} of at least {@code minAttempts} attempts in the last {@code window} failed,
 * or {@code consecutiveFailures} attempts in a row failed. It stays open for {@code openFor},
 * doubled on each opening that follows soon after the last one, up to {@code maxOpenFor}; the level
 * decays by one step per {@code openFor} of health. Half-open admits {@code halfOpenProbes} live
 * requests, whose failure rate decides between closing and opening again.
 *
 * @param enabled false: circuits never open (every provider keeps its place in every plan)
 */
public record BreakerPolicy(
    boolean enabled,
    Duration window,
    int minAttempts,
    int failureRatePercent,
    int consecutiveFailures,
    Duration openFor,
    Duration maxOpenFor,
    int halfOpenProbes) {

  /** The defaults documented in the README. */
  public static final BreakerPolicy DEFAULT =
      new BreakerPolicy(
          true,
          Duration.ofSeconds(10),
          20,
          50,
          5,
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          5);

  public BreakerPolicy {
    if (window.toMillis() < SlidingWindow.BUCKETS
        || minAttempts < 1
        || failureRatePercent < 1
        || failureRatePercent > 100
        || consecutiveFailures < 1
        || openFor.isNegative()
        || openFor.isZero()
        || maxOpenFor.compareTo(openFor) < 0
        || halfOpenProbes < 1) {
      throw new IllegalArgumentException("invalid breaker policy: " + this);
    }
  }

  /** Failures among the half-open probes that open the circuit again. */
  int probeFailuresToReopen() {
    return Math.max(1, (halfOpenProbes * failureRatePercent + 99) / 100);
  }

  /**
   * Successes among the half-open probes that close the circuit (then reopening can no longer be
   * reached).
   */
  int probeSuccessesToClose() {
    return halfOpenProbes - probeFailuresToReopen() + 1;
  }

  /**
   * The open period after {@code level} earlier openings: {@code openFor * 2^level}, at most {@code
   * maxOpenFor}.
   */
  Duration openPeriod(int level) {
    long millis = openFor.toMillis();
    for (int i = 0; i < level && millis < maxOpenFor.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, maxOpenFor.toMillis()));
  }
}
