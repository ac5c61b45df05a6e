package org.llmgateway.observe;

/**
 * Receives what the request path reports. Implementations must not block: they hand work to asynchronous loggers and
 * lock-free counters.
 */
public interface Observer {
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

  /** Does nothing; for tools such as {@code --check-config}. */
  Observer NONE = new Observer() {
    @Override
    public void attempt(AttemptRecord attempt) {}

    @Override
    public void cooledDown(String provider, String keyId, long seconds, String reason) {}

    @Override
    public void waitedForKey(long nanos) {}

    @Override
    public void streamOpened() {}

    @Override
    public void streamClosed() {}

    @Override
    public void finished(Exchange exchange) {}

    @Override
    public void reloaded(ReloadResult result) {}
  };
}
