package org.llmgateway.limit;

import org.llmgateway.config.GatewayKey;

/**
 * The rate limits of gateway keys ({@link GatewayKey#rpm()}, {@link GatewayKey#tpm()}), enforced
 * with the generic cell rate algorithm: a key may use its whole minute at once and then regains one
 * request every {@code 60 s / rpm}; it is admitted while its token budget is not spent, and the
 * tokens its answer used are charged afterwards, possibly into debt. State is kept by key id, so it
 * outlives reloads, and a changed limit takes effect on the next request. Thread-safe.
 */
public interface RateLimits extends AutoCloseable {
  /**
   * Decides whether {@code key} may send one more request now. An admitted request counts against
   * {@code rpm} at once; a refused one changes nothing. A key without limits gets {@link
   * RateDecision#UNLIMITED}.
   */
  RateDecision admit(GatewayKey key);

  /**
   * Charges {@code tokens} (as the upstream reported them) to {@code key}'s {@code tpm} budget;
   * nothing happens without {@code tpm} or when {@code tokens} is not positive. An implementation
   * may apply it a few milliseconds later, but never blocks the caller for long.
   */
  void charge(GatewayKey key, long tokens);

  /**
   * What {@code key} has left now (and whether its next request would be refused), counting
   * nothing: for the admin view. A key without limits gets {@link RateDecision#UNLIMITED}.
   */
  RateDecision peek(GatewayKey key);

  /** Stops background work, after handing on charges not yet sent; the default has none. */
  @Override
  default void close() {}
}
