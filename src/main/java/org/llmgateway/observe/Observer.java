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

  /**
   * A request of gateway key {@code gatewayKeyId} was refused with 429 by its own rate limit
   * ({@code limit}: {@code requests} or {@code tokens}), not by an upstream.
   */
  default void rateLimited(String gatewayKeyId, String limit) {}

  /** A configuration load ended (at start, on a file change, or on demand). */
  void reloaded(ReloadResult result);
}
