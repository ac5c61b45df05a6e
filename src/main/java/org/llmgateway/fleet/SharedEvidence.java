package org.llmgateway.fleet;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.llmgateway.routing.Circuits;
import org.llmgateway.routing.WindowCounts;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * The breaker's failure-rate window across the fleet: each replica adds its outcomes to per-bucket
 * hashes ({@code prefix:breaker:provider:bucket}, one field pair per replica) and reads the sum of
 * every other replica's back, one pipeline per tick. Buckets are the breaker window's tenths
 * (clock-aligned, so replicas with synchronised clocks share them) and expire after two windows.
 * Used by the sync thread only.
 */
final class SharedEvidence {
  /** Buckets per breaker window, as {@code routing.SlidingWindow}'s. */
  static final int BUCKETS = 10;

  /**
   * Sums the attempts and failures of every replica but {@code ARGV[1]} over the bucket hashes in
   * {@code KEYS} (fields {@code replica|a} and {@code replica|f}).
   */
  static final String SUM_OTHERS_SCRIPT =
      """
      local attempts, failures = 0, 0
      for _, key in ipairs(KEYS) do
        local fields = redis.call('HGETALL', key)
        for i = 1, #fields, 2 do
          local name = fields[i]
          local bar = string.find(name, '|', 1, true)
          if bar and string.sub(name, 1, bar - 1) ~= ARGV[1] then
            if string.sub(name, bar + 1) == 'a' then
              attempts = attempts + tonumber(fields[i + 1])
            else
              failures = failures + tonumber(fields[i + 1])
            end
          end
        end
      end
      return {attempts, failures}
      """;

  private final RedisLink link;
  private final Circuits circuits;
  private final Supplier<Set<String>> providers;
  private final String self;
  private final long bucketMillis;
  private String sumScriptSha;

  SharedEvidence(RedisLink link, Circuits circuits, Supplier<Set<String>> providers) {
    this.link = link;
    this.circuits = circuits;
    this.providers = providers;
    this.self = link.settings().replicaId();
    this.bucketMillis = Math.max(1, circuits.policy().window().toMillis() / BUCKETS);
  }

  /** Adds this replica's outcomes to the current bucket and reads the others' window back. */
  void share(long now) {
    Map<String, WindowCounts> mine = circuits.drainOutcomes();
    Set<String> names = new HashSet<>(providers.get());
    names.addAll(mine.keySet());
    if (names.isEmpty()) {
      return;
    }
    long seq = now / bucketMillis;
    Map<String, List<String>> windows = new LinkedHashMap<>();
    for (String provider : names) {
      List<String> window = new ArrayList<>(BUCKETS);
      for (int i = 0; i < BUCKETS; i++) {
        window.add(bucketKey(provider, seq - i));
      }
      windows.put(provider, window);
    }
    if (sumScriptSha == null) {
      sumScriptSha =
          link.callInBackground("breaker", redis -> redis.scriptLoad(SUM_OTHERS_SCRIPT))
              .orElse(null);
      if (sumScriptSha == null) {
        return;
      }
    }
    long expireMillis = 2 * BUCKETS * bucketMillis;
    Optional<Map<String, WindowCounts>> others =
        link.callInBackground(
            "breaker",
            redis -> {
              Map<String, Response<Object>> sums = new LinkedHashMap<>();
              try (AbstractPipeline p = redis.pipelined()) {
                mine.forEach(
                    (provider, c) -> {
                      String bucket = bucketKey(provider, seq);
                      p.hincrBy(bucket, self + "|a", c.attempts());
                      p.hincrBy(bucket, self + "|f", c.failures());
                      p.pexpire(bucket, expireMillis);
                    });
                windows.forEach(
                    (provider, keysOfWindow) ->
                        sums.put(provider, p.evalsha(sumScriptSha, keysOfWindow, List.of(self))));
                p.sync();
              }
              Map<String, WindowCounts> out = new LinkedHashMap<>();
              sums.forEach((provider, r) -> out.put(provider, counts(r.get())));
              return out;
            });
    if (others.isEmpty()) {
      sumScriptSha = null; // Redis may have restarted without the script: load it again
      return;
    }
    others.get().forEach(circuits::fleetCounts);
  }

  private String bucketKey(String provider, long seq) {
    return link.key("breaker", provider, Long.toString(seq));
  }

  private static WindowCounts counts(Object reply) {
    if (reply instanceof List<?> l
        && l.size() == 2
        && l.get(0) instanceof Long a
        && l.get(1) instanceof Long f) {
      return new WindowCounts(a, f);
    }
    return WindowCounts.NONE;
  }
}
