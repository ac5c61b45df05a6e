package org.llmgateway.limit;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.llmgateway.config.GatewayKey;

/**
 * {@link RateLimits} in this process's memory: one {@link Gcra} per key id, each behind its own
 * lock (held for a few arithmetic operations), so keys never wait for each other. With several
 * replicas each one enforces the limits on its own.
 */
public final class LocalRateLimits implements RateLimits {
  private final Clock clock;
  private final Map<String, Gcra> keys = new ConcurrentHashMap<>();

  public LocalRateLimits(Clock clock) {
    this.clock = clock;
  }

  @Override
  public RateDecision admit(GatewayKey key) {
    return decide(key, true);
  }

  @Override
  public RateDecision peek(GatewayKey key) {
    return decide(key, false);
  }

  private RateDecision decide(GatewayKey key, boolean count) {
    if (!key.limited()) {
      return RateDecision.UNLIMITED;
    }
    Gcra cell = keys.computeIfAbsent(key.keyId(), id -> new Gcra());
    long now = nowNanos();
    synchronized (cell) {
      return count ? cell.admit(key.rpm(), key.tpm(), now) : cell.peek(key.rpm(), key.tpm(), now);
    }
  }

  @Override
  public void charge(GatewayKey key, long tokens) {
    if (key.tpm().isEmpty() || tokens <= 0) {
      return;
    }
    Gcra cell = keys.computeIfAbsent(key.keyId(), id -> new Gcra());
    long now = nowNanos();
    synchronized (cell) {
      cell.charge(key.tpm().getAsLong(), tokens, now);
    }
  }

  private long nowNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
