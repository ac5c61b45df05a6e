package org.llmgateway.routing;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runtime state of one provider key, kept across reloads. Fields are written by request threads
 * without a shared lock; readers may see a slightly stale cooldown, which only means one extra
 * attempt on a cooling key.
 */
public final class KeyState {
  private volatile long coolingUntilMillis;
  private volatile String coolingReason = "";
  private volatile String lastError = "";
  private volatile long lastErrorAtMillis;

  /** When the cooldown last began or was reset (epoch millis): orders events of the fleet. */
  private long changedAtMillis;

  /** When an operator last reset the key, here or on another replica. */
  private long resetAtMillis;

  final LongAdder successes = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder cooldowns = new LongAdder();

  boolean coolingAt(long nowMillis) {
    return coolingUntilMillis > nowMillis;
  }

  long coolingUntil() {
    return coolingUntilMillis;
  }

  synchronized void coolDown(long atMillis, long untilMillis, String reason) {
    coolingUntilMillis = untilMillis;
    coolingReason = reason;
    changedAtMillis = Math.max(changedAtMillis, atMillis);
    cooldowns.increment();
  }

  /**
   * A cooldown learnt from another replica: ignored when a reset known here is newer; otherwise
   * extends, never shortens, and is not counted here.
   */
  synchronized void coolDownElsewhere(long atMillis, long untilMillis, String reason) {
    if (atMillis < resetAtMillis) {
      return;
    }
    changedAtMillis = Math.max(changedAtMillis, atMillis);
    if (untilMillis > coolingUntilMillis) {
      coolingUntilMillis = untilMillis;
      coolingReason = reason;
    }
  }

  synchronized void reset(long atMillis) {
    coolingUntilMillis = 0;
    coolingReason = "";
    resetAtMillis = Math.max(resetAtMillis, atMillis);
    changedAtMillis = Math.max(changedAtMillis, atMillis);
  }

  /** A reset made on another replica: ends only a cooldown that began before it. */
  synchronized void resetElsewhere(long atMillis) {
    resetAtMillis = Math.max(resetAtMillis, atMillis);
    if (atMillis >= changedAtMillis) {
      coolingUntilMillis = 0;
      coolingReason = "";
      changedAtMillis = atMillis;
    }
  }

  void failed(String error, long atMillis) {
    lastError = error;
    lastErrorAtMillis = atMillis;
    failures.increment();
  }

  /** A copy for views and snapshots; {@code nowMillis} decides whether the key still cools. */
  public View view(long nowMillis) {
    boolean cooling = coolingAt(nowMillis);
    return new View(
        cooling,
        cooling ? Optional.of(Instant.ofEpochMilli(coolingUntilMillis)) : Optional.empty(),
        cooling ? coolingReason : "",
        lastError,
        lastErrorAtMillis == 0
            ? Optional.empty()
            : Optional.of(Instant.ofEpochMilli(lastErrorAtMillis)),
        successes.sum(),
        failures.sum(),
        cooldowns.sum());
  }

  /** Restores persisted state (from a stats snapshot). */
  void restore(
      long coolingUntil, String reason, long successCount, long failureCount, long cooldownCount) {
    coolingUntilMillis = coolingUntil;
    coolingReason = reason;
    successes.add(successCount);
    failures.add(failureCount);
    cooldowns.add(cooldownCount);
  }

  /** A read-only copy of a key's state. */
  public record View(
      boolean cooling,
      Optional<Instant> coolingUntil,
      String reason,
      String lastError,
      Optional<Instant> lastErrorAt,
      long successes,
      long failures,
      long cooldowns) {}
}
