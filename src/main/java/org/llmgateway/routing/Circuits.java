package org.llmgateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One circuit breaker per provider, separate from key cooldowns. After {@code threshold} provider-level failures in a
 * row (network errors, timeouts, 5xx) the provider is skipped for {@code openFor}; then one live request is let
 * through as a probe: success closes the circuit, failure opens it again. No paid health probes.
 */
public final class Circuits {
  /** The state of one provider's circuit. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final Clock clock;
  private final int threshold;
  private final Duration openFor;
  private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

  public Circuits(Clock clock, int threshold, Duration openFor) {
    this.clock = clock;
    this.threshold = threshold;
    this.openFor = openFor;
  }

  /** Whether a request may try {@code provider} now; in half-open state only the first caller gets true. */
  public boolean tryAcquire(String provider) {
    Breaker b = breakers.get(provider);
    return b == null || b.tryAcquire(clock.millis());
  }

  public void succeeded(String provider) {
    Breaker b = breakers.get(provider);
    if (b != null) {
      b.succeeded();
    }
  }

  public void failed(String provider) {
    breakers.computeIfAbsent(provider, p -> new Breaker()).failed(clock.millis(), threshold, openFor.toMillis());
  }

  /** Gives back a probe taken by {@link #tryAcquire} whose attempt never got a verdict (the circuit stays open). */
  public void release(String provider) {
    Breaker b = breakers.get(provider);
    if (b != null) {
      b.release();
    }
  }

  public State state(String provider) {
    Breaker b = breakers.get(provider);
    return b == null ? State.CLOSED : b.state(clock.millis());
  }

  private static final class Breaker {
    // volatile so that the common case (closed, no failures) needs no lock on the request path
    private volatile int consecutiveFailures;
    private volatile boolean open;
    private long openUntil;
    private boolean probing;

    boolean tryAcquire(long now) {
      return !open || tryAcquireOpen(now);
    }

    private synchronized boolean tryAcquireOpen(long now) {
      if (!open) {
        return true;
      }
      if (now < openUntil || probing) {
        return false;
      }
      probing = true;
      return true;
    }

    void succeeded() {
      if (open || consecutiveFailures != 0) {
        reset();
      }
    }

    private synchronized void reset() {
      consecutiveFailures = 0;
      open = false;
      probing = false;
    }

    synchronized void failed(long now, int threshold, long openMillis) {
      consecutiveFailures++;
      if (probing || consecutiveFailures >= threshold) {
        open = true;
        probing = false;
        openUntil = now + openMillis;
      }
    }

    synchronized void release() {
      probing = false;
    }

    synchronized State state(long now) {
      if (!open) {
        return State.CLOSED;
      }
      return now < openUntil && !probing ? State.OPEN : State.HALF_OPEN;
    }
  }
}
