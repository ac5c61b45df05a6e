package org.llmgateway.observe;

/**
 * Receives what the request path reports. Implementations must not block: they hand work to
 * asynchronous loggers and lock-free counters.
 */
public interface Observer {
  /**
   * A request began (before routing); every call is followed by exactly one {@link #finished} for
   * it.
   */
  default void started(Exchange exchange) {}

  void attempt(AttemptRecord attempt);

  /** A key was put into cooldown. */
  void cooledDown(String provider, String keyId, long seconds, String reason);

  /** A request waited {@code nanos} for a cooling key to come back instead of failing. */
  void waitedForKey(long nanos);

  void streamOpened();

  void streamClosed();

  void finished(Exchange exchange);

  /** A configuration load ended (at start, on a file change, or on demand). */
  void reloaded(ReloadResult result);
}
