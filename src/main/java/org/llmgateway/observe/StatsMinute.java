package org.llmgateway.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one minute: client requests, errors, tokens, latency, and upstream attempts per
 * provider key. Written concurrently without locks ({@link LongAdder}s); a reader sees a
 * consistent-enough sum.
 */
final class StatsMinute {
  final long minute;
  final LongAdder requests = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder tokens = new LongAdder();
  final LongAdder latencyMicros = new LongAdder();
  final Map<KeyRef, Cell> keys = new ConcurrentHashMap<>();

  /** Client responses by status class: index 1 to 5 for 1xx to 5xx, 0 for anything else. */
  final LongAdder[] statusClasses = {
    new LongAdder(),
    new LongAdder(),
    new LongAdder(),
    new LongAdder(),
    new LongAdder(),
    new LongAdder()
  };

  /** Failed client requests by error type ({@code upstream_error}, {@code rate_limited}, ...). */
  final Map<String, LongAdder> errorTypes = new ConcurrentHashMap<>();

  /** A provider key, by name and id. */
  record KeyRef(String provider, String keyId) {}

  /** Upstream attempts of one key in one minute. */
  static final class Cell {
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder latencyMicros = new LongAdder();

    /**
     * Upstream answers 429, other 4xx, and cooldowns started: what the console's key risk score
     * weighs.
     */
    final LongAdder tooManyRequests = new LongAdder();

    final LongAdder otherClientErrors = new LongAdder();
    final LongAdder cooldowns = new LongAdder();

    void add(long requestCount, long errorCount, long micros) {
      requests.add(requestCount);
      errors.add(errorCount);
      latencyMicros.add(micros);
    }
  }

  StatsMinute(long minute) {
    this.minute = minute;
  }

  Cell key(String provider, String keyId) {
    return keys.computeIfAbsent(new KeyRef(provider, keyId), k -> new Cell());
  }
}
