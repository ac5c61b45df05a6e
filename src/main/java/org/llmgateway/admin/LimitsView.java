package org.llmgateway.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.core.Gateway;
import org.llmgateway.fleet.RedisLink;
import org.llmgateway.limit.Quota;
import org.llmgateway.limit.RateDecision;
import org.llmgateway.routing.Snapshot;

/**
 * {@code GET /admin/limits}: per gateway key with {@code rpm} or {@code tpm}, what it has left now
 * and when each budget is full again, read without counting anything. {@code scope} says whose
 * budget it is: the fleet's (Redis) or this replica's own (no Redis, or Redis away).
 */
final class LimitsView {
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private LimitsView() {}

  static Map<String, Object> of(Gateway gateway, Snapshot snapshot) {
    List<Map<String, Object>> keys = new ArrayList<>();
    for (GatewayKey key : snapshot.config().gatewayKeys()) {
      if (!key.limited()) {
        continue;
      }
      RateDecision now = gateway.rateLimits().peek(key);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("key_id", key.keyId());
      row.put("tenant_id", key.tenantId());
      row.put("enabled", key.enabled());
      row.put("requests", quota(now.requests()));
      row.put("tokens", quota(now.tokens()));
      row.put("next_request", now.admitted() ? "admitted" : "refused");
      row.put("retry_after_ms", now.retryAfterNanos() / NANOS_PER_MILLI);
      keys.add(row);
    }
    // after the reads: a peek that found Redis gone fell back to this replica's own numbers
    boolean fleet = gateway.redis().map(RedisLink::up).orElse(false);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scope", fleet ? "fleet" : "replica");
    out.put("keys", keys);
    return out;
  }

  private static Map<String, Object> quota(Optional<Quota> q) {
    if (q.isEmpty()) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("limit", q.get().limit());
    out.put("remaining", q.get().remaining());
    out.put("reset_ms", q.get().resetNanos() / NANOS_PER_MILLI);
    return out;
  }
}
