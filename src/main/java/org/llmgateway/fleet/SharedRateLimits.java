package org.llmgateway.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.limit.LimitKind;
import org.llmgateway.limit.Quota;
import org.llmgateway.limit.RateDecision;
import org.llmgateway.limit.RateLimits;

/**
 * {@link RateLimits} shared by every replica through Redis: one atomic Lua script per request
 * checks (and counts) both limits of a key and returns the numbers for the headers; the tokens of
 * the answer are charged afterwards by a second small script. When Redis is down, slow or refuses
 * ({@link RedisLink#call} is empty), this replica's {@code local} limits decide instead, so the
 * same limits then hold per replica.
 */
public final class SharedRateLimits implements RateLimits {
  static final String ADMIT_OPERATION = "rate_limit";
  static final String CHARGE_OPERATION = "rate_limit_charge";
  static final String PEEK_OPERATION = "rate_limit_view";
  private static final String PEEK_ARGUMENT = "peek";
  private static final long NANOS_PER_MICRO = 1_000L;

  /**
   * How long charges gather before they are sent: short beside the answers they follow, long enough
   * to sum a busy key's charges.
   */
  static final Duration CHARGE_DELAY = Duration.ofMillis(5);

  private final RedisLink redis;
  private final RateLimits local;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean signalled = new AtomicBoolean();

  /** One flush at a time, so a flush returns only once every charge made before it was sent. */
  private final ReentrantLock flushing = new ReentrantLock();

  private final Thread charger;
  private volatile boolean closed;

  /** Tokens of one key not sent yet, with the key as last seen (its tpm may change on reload). */
  private static final class Pending {
    volatile GatewayKey key;
    final AtomicLong tokens = new AtomicLong();

    Pending(GatewayKey key) {
      this.key = key;
    }
  }

  public SharedRateLimits(RedisLink redis, RateLimits local) {
    this.redis = redis;
    this.local = local;
    this.charger = Thread.ofVirtual().name("rate-limit-charges").start(this::chargeLoop);
  }

  @Override
  public RateDecision admit(GatewayKey key) {
    if (!key.limited()) {
      return RateDecision.UNLIMITED;
    }
    List<String> args =
        List.of(Long.toString(key.rpm().orElse(0)), Long.toString(key.tpm().orElse(0)));
    return redis
        .call(ADMIT_OPERATION, r -> RateLimitScripts.ADMIT.run(r, redisKey(key), args))
        .map(reply -> decision(key, reply))
        .orElseGet(() -> local.admit(key));
  }

  @Override
  public RateDecision peek(GatewayKey key) {
    if (!key.limited()) {
      return RateDecision.UNLIMITED;
    }
    List<String> args =
        List.of(
            Long.toString(key.rpm().orElse(0)), Long.toString(key.tpm().orElse(0)), PEEK_ARGUMENT);
    return redis
        .callInBackground(PEEK_OPERATION, r -> RateLimitScripts.ADMIT.run(r, redisKey(key), args))
        .map(reply -> decision(key, reply))
        .orElseGet(() -> local.peek(key));
  }

  @Override
  public void charge(GatewayKey key, long tokens) {
    if (key.tpm().isEmpty() || tokens <= 0) {
      return;
    }
    Pending p = pending.computeIfAbsent(key.keyId(), id -> new Pending(key));
    p.key = key;
    p.tokens.addAndGet(tokens);
    if (closed) {
      flush();
    } else if (signalled.compareAndSet(false, true)) {
      LockSupport.unpark(charger);
    }
  }

  /**
   * Sends every pending charge now (to Redis, or to the local limits when Redis does not answer).
   */
  void flush() {
    flushing.lock();
    try {
      signalled.set(false);
      sendPending();
    } finally {
      flushing.unlock();
    }
  }

  private void sendPending() {
    for (Pending p : pending.values()) {
      long tokens = p.tokens.getAndSet(0);
      if (tokens <= 0) {
        continue;
      }
      GatewayKey key = p.key;
      if (key.tpm().isEmpty()) {
        continue; // the limit was removed meanwhile
      }
      List<String> args = List.of(Long.toString(key.tpm().getAsLong()), Long.toString(tokens));
      if (redis
          .call(CHARGE_OPERATION, r -> RateLimitScripts.CHARGE.run(r, redisKey(key), args))
          .isEmpty()) {
        local.charge(key, tokens);
      }
    }
  }

  private void chargeLoop() {
    while (!closed) {
      LockSupport.park(this); // until a charge arrives
      if (closed) {
        break;
      }
      LockSupport.parkNanos(this, CHARGE_DELAY.toNanos());
      flush();
    }
  }

  /** Stops the charger and sends what it had not sent yet. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(charger);
    try {
      charger.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }

  private String redisKey(GatewayKey key) {
    return redis.key("ratelimit", key.keyId());
  }

  private static RateDecision decision(GatewayKey key, Object reply) {
    List<?> n = (List<?>) reply;
    long refused = number(n, 0);
    Optional<LimitKind> refusedBy =
        refused == 1
            ? Optional.of(LimitKind.REQUESTS)
            : refused == 2 ? Optional.of(LimitKind.TOKENS) : Optional.empty();
    Optional<Quota> requests =
        key.rpm().isPresent()
            ? Optional.of(
                new Quota(key.rpm().getAsLong(), number(n, 1), number(n, 2) * NANOS_PER_MICRO))
            : Optional.empty();
    Optional<Quota> tokens =
        key.tpm().isPresent()
            ? Optional.of(
                new Quota(key.tpm().getAsLong(), number(n, 3), number(n, 4) * NANOS_PER_MICRO))
            : Optional.empty();
    return new RateDecision(refusedBy, requests, tokens, number(n, 5) * NANOS_PER_MICRO);
  }

  private static long number(List<?> reply, int index) {
    return ((Number) reply.get(index)).longValue();
  }
}
