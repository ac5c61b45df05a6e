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
  final LongAdder successes = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder cooldowns = new LongAdder();

  boolean coolingAt(long nowMillis) {
    return coolingUntilMillis > nowMillis;
  }

  long coolingUntil() {
    return coolingUntilMillis;
  }

  void coolDown(long untilMillis, String reason) {
    coolingUntilMillis = untilMillis;
    coolingReason = reason;
    cooldowns.increment();
  }

  void reset() {
    coolingUntilMillis = 0;
    coolingReason = "";
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
