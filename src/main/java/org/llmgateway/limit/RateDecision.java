package org.llmgateway.limit;

import java.util.Optional;

/**
 * Whether one request of a gateway key may go on. {@code requests} and {@code tokens} are present
 * for the limits the key has; {@code refusedBy} names the limit that refused it (the one with the
 * longer wait when both did) and {@code retryAfterNanos} is how long until it would be admitted.
 */
public record RateDecision(
    Optional<LimitKind> refusedBy,
    Optional<Quota> requests,
    Optional<Quota> tokens,
    long retryAfterNanos) {

  /** The decision for a key without limits: admitted, nothing to report. */
  public static final RateDecision UNLIMITED =
      new RateDecision(Optional.empty(), Optional.empty(), Optional.empty(), 0);

  public boolean admitted() {
    return refusedBy.isEmpty();
  }
}
