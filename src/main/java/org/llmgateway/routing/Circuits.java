package org.llmgateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

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

  /**
   * Other replicas' counts older than this are ignored: the fleet's sync refreshes them every 100
   * ms, so this long without a refresh means Redis is unreachable and local evidence must do.
   */
  static final long FLEET_COUNTS_STALE_AFTER_MILLIS = 2_000;

  private final Clock clock;
  private final BreakerPolicy policy;
  private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
  private volatile StateEvents events = StateEvents.NONE;
  private volatile boolean sharing;

  public Circuits(Clock clock, BreakerPolicy policy) {
    this.clock = clock;
    this.policy = policy;
  }

  public BreakerPolicy policy() {
    return policy;
  }

  /**
   * Shares this replica's evidence from now on: outcomes are also counted for {@link
   * #drainOutcomes()}, and openings are told to {@code listener}.
   */
  public void listen(StateEvents listener) {
    this.events = listener;
    this.sharing = true;
  }

  /**
   * The outcomes (while closed) recorded since the last call, per provider, for the fleet's window;
   * resets them.
   */
  public Map<String, WindowCounts> drainOutcomes() {
    Map<String, WindowCounts> out = new HashMap<>();
    breakers.forEach(
        (provider, b) -> {
          long attempts = b.unsharedAttempts.sumThenReset();
          long failures = b.unsharedFailures.sumThenReset();
          if (attempts > 0) {
            out.put(provider, new WindowCounts(attempts, failures));
          }
        });
    return out;
  }

  /**
   * The other replicas' attempts and failures of {@code provider} over the window, as of now: they
   * join this replica's own in the failure-rate rule (and may open the circuit at once).
   */
  public void fleetCounts(String provider, WindowCounts others) {
    if (!policy.enabled()) {
      return;
    }
    Breaker b = others.attempts() == 0 ? breakers.get(provider) : breaker(provider);
    if (b != null) {
      b.fleetCounts(clock.millis(), others);
    }
  }

  /**
   * Another replica opened its circuit of {@code provider}: open here too, until the same time, so
   * the fleet demotes it together. Each replica then probes on its own when the period ends.
   */
  public void openedElsewhere(
      String provider, long openedAtMillis, long untilMillis, String reason, int rate) {
    if (policy.enabled() && untilMillis > clock.millis()) {
      breaker(provider).openElsewhere(openedAtMillis, untilMillis, reason, rate);
    }
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
    return b != null ? b : breakers.computeIfAbsent(provider, p -> new Breaker(p, this));
  }

  /** Other replicas' window counts and when they were read. */
  private record FleetCounts(WindowCounts others, long asOfMillis) {
    static final FleetCounts NONE = new FleetCounts(WindowCounts.NONE, Long.MIN_VALUE / 2);
  }

  private static final class Breaker {
    /** Doubling beyond this many levels changes nothing: the period is capped long before. */
    private static final int MAX_LEVEL = 30;

    private final String provider;
    private final Circuits owner;
    private final BreakerPolicy policy;
    private final SlidingWindow window;
    final LongAdder unsharedAttempts = new LongAdder();
    final LongAdder unsharedFailures = new LongAdder();
    private volatile FleetCounts fleet = FleetCounts.NONE;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    // state is volatile so that the closed path reads it without a lock; every change happens under
    // the lock
    private volatile State state = State.CLOSED;
    private volatile long openedAt;
    private long openUntil;
    // volatile: the closed path reads it without the lock to skip stale fleet evidence
    private volatile long closedAt;
    private int level;
    private long opens;
    private String reason = "";
    private int openedRate;
    private int probesOut;
    private int probeSuccesses;
    private int probeFailures;

    Breaker(String provider, Circuits owner) {
      this.provider = provider;
      this.owner = owner;
      this.policy = owner.policy;
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
        if (owner.sharing) {
          unsharedAttempts.increment();
          if (failure) {
            unsharedFailures.increment();
          }
        }
        if (!failure) {
          if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
          }
          return;
        }
        int inARow = consecutiveFailures.incrementAndGet();
        WindowCounts counts = counts(now);
        if (inARow >= policy.consecutiveFailures()) {
          open(now, inARow + " consecutive failures", counts.failureRatePercent());
        } else {
          openOnRate(now, counts);
        }
        return;
      }
      probeOutcome(now, failure);
    }

    /**
     * This replica's window plus, while fresh, the other replicas'. For one window after the
     * circuit closed the others' are left out: their sums may still hold the failures from before
     * the opening, which the close wiped from this replica's own window.
     */
    private WindowCounts counts(long now) {
      WindowCounts local = window.counts(now);
      FleetCounts f = fleet;
      boolean fresh = now - f.asOfMillis <= FLEET_COUNTS_STALE_AFTER_MILLIS;
      boolean afterClose = closedAt != 0 && now - closedAt < policy.window().toMillis();
      return fresh && !afterClose ? local.plus(f.others) : local;
    }

    private void openOnRate(long now, WindowCounts counts) {
      if (counts.attempts() >= policy.minAttempts()
          && counts.failureRatePercent() >= policy.failureRatePercent()) {
        open(
            now,
            "failure rate "
                + counts.failureRatePercent()
                + "% of "
                + counts.attempts()
                + " attempts in "
                + policy.window().toSeconds()
                + " s"
                + (fleet.others.attempts() > 0 ? " across the fleet" : ""),
            counts.failureRatePercent());
      }
    }

    void fleetCounts(long now, WindowCounts others) {
      fleet = new FleetCounts(others, now);
      if (state == State.CLOSED && others.attempts() > 0) {
        openOnRate(now, counts(now));
      }
    }

    synchronized void openElsewhere(long openedAtMillis, long untilMillis, String why, int rate) {
      refresh(owner.clock.millis());
      if (state != State.CLOSED) {
        return; // already demoted here; its own period and probes stand
      }
      level = Math.min(level + 1, MAX_LEVEL);
      opens++;
      state = State.OPEN;
      openedAt = openedAtMillis;
      openUntil = untilMillis;
      reason = why + " (on another replica)";
      openedRate = rate;
      probesOut = 0;
      probeSuccesses = 0;
      probeFailures = 0;
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
      owner.events.circuitOpened(provider, now, openUntil, why, rate);
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
      WindowCounts counts = counts(now);
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
