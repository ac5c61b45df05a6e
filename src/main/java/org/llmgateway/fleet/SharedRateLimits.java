package org.llmgateway.fleet;

import java.util.List;
import java.util.Optional;
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
  private static final long NANOS_PER_MICRO = 1_000L;

  private final RedisLink redis;
  private final RateLimits local;

  public SharedRateLimits(RedisLink redis, RateLimits local) {
    this.redis = redis;
    this.local = local;
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
  public void charge(GatewayKey key, long tokens) {
    if (key.tpm().isEmpty() || tokens <= 0) {
      return;
    }
    List<String> args = List.of(Long.toString(key.tpm().getAsLong()), Long.toString(tokens));
    if (redis
        .call(CHARGE_OPERATION, r -> RateLimitScripts.CHARGE.run(r, redisKey(key), args))
        .isEmpty()) {
      local.charge(key, tokens);
    }
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
