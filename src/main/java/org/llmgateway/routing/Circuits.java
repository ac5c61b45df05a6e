package org.llmgateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One circuit breaker per provider, separate from key cooldowns, that only ever reorders: an open
 * circuit demotes its provider to the end of each plan (see {@link Plan}), it never removes it, so
 * protection cannot cause an outage.
 *
 * <p>A circuit opens on evidence ({@link BreakerPolicy}): a failure rate over a sliding window with
 * a minimum number of attempts, or a long run of consecutive failures. After the open period it is
 * half-open: a few live requests are admitted in the provider's normal place, and their failure
 * rate decides between closing and opening again for a longer period. No paid health probes.
 *
 * <p>Thread-safe. The request path ({@link #tryAcquire}, {@link #succeeded}, {@link #failed} while
 * closed) takes no lock: volatile reads and compare-and-set only. State changes (open, half-open,
 * close) lock one provider's breaker.
 */
public final class Circuits {
  /** The state of one provider's circuit. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /**
   * A circuit's state for views and metrics.
   *
   * @param reason why it opened last ("failure rate 60% of 25 attempts in 10 s", "5 consecutive
   *     failures")
   * @param failureRatePercent the failure rate over the current window (while closed) or when it
   *     opened
   * @param level openings that count towards the open period (decays while healthy)
   * @param opens every opening since start
   */
  public record View(
      State state,
      String reason,
      int failureRatePercent,
      long windowAttempts,
      Optional<Instant> openedAt,
      Optional<Instant> openUntil,
      int level,
      long opens) {}

  private final Clock clock;
  private final BreakerPolicy policy;
  private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

  public Circuits(Clock clock, BreakerPolicy policy) {
    this.clock = clock;
    this.policy = policy;
  }

  public BreakerPolicy policy() {
    return policy;
  }

  /**
   * Whether a request may try {@code provider} in its normal place in the plan: always while
   * closed; while half-open only for the first {@link BreakerPolicy#halfOpenProbes()} callers (each
   * must end in {@link #succeeded}, {@link #failed} or {@link #release}); never while open.
   */
  public boolean tryAcquire(String provider) {
    Breaker b = breakers.get(provider);
    return b == null || b.tryAcquire(clock.millis());
  }

  public void succeeded(String provider) {
    if (policy.enabled()) {
      breaker(provider).outcome(clock.millis(), false);
    }
  }

  public void failed(String provider) {
    if (policy.enabled()) {
      breaker(provider).outcome(clock.millis(), true);
    }
  }

  /**
   * Gives back a half-open probe slot whose attempt never got a verdict (the request ran out of
   * time).
   */
  public void release(String provider) {
    Breaker b = breakers.get(provider);
    if (b != null) {
      b.release();
    }
  }

  public State state(String provider) {
    return view(provider).state();
  }

  public View view(String provider) {
    Breaker b = breakers.get(provider);
    return b == null
        ? new View(State.CLOSED, "", 0, 0, Optional.empty(), Optional.empty(), 0, 0)
        : b.view(clock.millis());
  }

  /**
   * When the circuit last opened (epoch millis), 0 when it never did: demoted providers are tried
   * oldest first.
   */
  long openedAtMillis(String provider) {
    Breaker b = breakers.get(provider);
    return b == null ? 0 : b.openedAt;
  }

  private Breaker breaker(String provider) {
    Breaker b = breakers.get(provider);
    return b != null ? b : breakers.computeIfAbsent(provider, p -> new Breaker(policy));
  }

  private static final class Breaker {
    /** Doubling beyond this many levels changes nothing: the period is capped long before. */
    private static final int MAX_LEVEL = 30;

    private final BreakerPolicy policy;
    private final SlidingWindow window;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    // state is volatile so that the closed path reads it without a lock; every change happens under
    // the lock
    private volatile State state = State.CLOSED;
    private volatile long openedAt;
    private long openUntil;
    private long closedAt;
    private int level;
    private long opens;
    private String reason = "";
    private int openedRate;
    private int probesOut;
    private int probeSuccesses;
    private int probeFailures;

    Breaker(BreakerPolicy policy) {
      this.policy = policy;
      this.window = new SlidingWindow(policy.window().toMillis());
    }

    boolean tryAcquire(long now) {
      return state == State.CLOSED || tryAcquireSlow(now);
    }

    private synchronized boolean tryAcquireSlow(long now) {
      refresh(now);
      if (state == State.CLOSED) {
        return true;
      }
      if (state == State.HALF_OPEN && probesOut < policy.halfOpenProbes()) {
        probesOut++;
        return true;
      }
      return false;
    }

    void outcome(long now, boolean failure) {
      if (state == State.CLOSED) {
        window.record(now, failure);
        if (!failure) {
          if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
          }
          return;
        }
        int inARow = consecutiveFailures.incrementAndGet();
        SlidingWindow.Counts counts = window.counts(now);
        if (inARow >= policy.consecutiveFailures()) {
          open(now, inARow + " consecutive failures", counts.failureRatePercent());
        } else if (counts.attempts() >= policy.minAttempts()
            && counts.failureRatePercent() >= policy.failureRatePercent()) {
          open(
              now,
              "failure rate "
                  + counts.failureRatePercent()
                  + "% of "
                  + counts.attempts()
                  + " attempts in "
                  + policy.window().toSeconds()
                  + " s",
              counts.failureRatePercent());
        }
        return;
      }
      probeOutcome(now, failure);
    }

    private synchronized void open(long now, String why, int rate) {
      if (state != State.CLOSED) {
        return; // another request opened it first
      }
      long healthy = Math.max(0, now - closedAt);
      level =
          Math.max(
              0, level - (int) Math.min(Integer.MAX_VALUE, healthy / policy.openFor().toMillis()));
      openAt(now, why, rate);
    }

    private void openAt(long now, String why, int rate) {
      Duration period = policy.openPeriod(level);
      level = Math.min(level + 1, MAX_LEVEL);
      opens++;
      state = State.OPEN;
      openedAt = now;
      openUntil = now + period.toMillis();
      reason = why;
      openedRate = rate;
      probesOut = 0;
      probeSuccesses = 0;
      probeFailures = 0;
    }

    /**
     * Outcomes while open are last-resort attempts of requests that had nothing else: they are not
     * evidence.
     */
    private synchronized void probeOutcome(long now, boolean failure) {
      refresh(now);
      if (state != State.HALF_OPEN) {
        if (state == State.CLOSED) {
          window.record(now, failure);
        }
        return;
      }
      probesOut = Math.max(0, probesOut - 1);
      if (failure) {
        probeFailures++;
        if (probeFailures >= policy.probeFailuresToReopen()) {
          int rate = probeFailures * 100 / (probeFailures + probeSuccesses);
          openAt(
              now,
              probeFailures
                  + " of "
                  + (probeFailures + probeSuccesses)
                  + " half-open probes failed",
              rate);
        }
      } else {
        probeSuccesses++;
        if (probeSuccesses >= policy.probeSuccessesToClose()) {
          state = State.CLOSED;
          closedAt = now;
          window.clear();
          consecutiveFailures.set(0);
        }
      }
    }

    synchronized void release() {
      if (state == State.HALF_OPEN && probesOut > 0) {
        probesOut--;
      }
    }

    /** Moves an open circuit whose period ended to half-open. */
    private void refresh(long now) {
      if (state == State.OPEN && now >= openUntil) {
        state = State.HALF_OPEN;
        probesOut = 0;
        probeSuccesses = 0;
        probeFailures = 0;
      }
    }

    synchronized View view(long now) {
      refresh(now);
      SlidingWindow.Counts counts = window.counts(now);
      boolean closed = state == State.CLOSED;
      return new View(
          state,
          reason,
          closed ? counts.failureRatePercent() : openedRate,
          counts.attempts(),
          openedAt == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(openedAt)),
          closed ? Optional.empty() : Optional.of(Instant.ofEpochMilli(openUntil)),
          level,
          opens);
    }
  }
}
