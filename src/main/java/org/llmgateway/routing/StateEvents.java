package org.llmgateway.routing;

/**
 * Changes of the routing state that other replicas of a fleet should learn: a key cooled or reset,
 * a circuit opened. Called on request threads (or the admin's): implementations must only hand the
 * event on (queue it), never wait for I/O.
 */
public interface StateEvents {
  /** Nothing listens: a single gateway. */
  StateEvents NONE = new StateEvents() {};

  /**
   * A key of this replica was put into cooldown at {@code atMillis} until {@code untilMillis}
   * (epoch millis).
   */
  default void keyCooled(
      String provider, String keyId, long atMillis, long untilMillis, String reason) {}

  /** A key's cooldown was ended by an operator at {@code atMillis}. */
  default void keyReset(String provider, String keyId, long atMillis) {}

  /** This replica's breaker of {@code provider} opened on its own evidence. */
  default void circuitOpened(
      String provider,
      long openedAtMillis,
      long untilMillis,
      String reason,
      int failureRatePercent) {}
}
