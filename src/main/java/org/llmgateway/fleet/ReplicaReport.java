package org.llmgateway.fleet;

import java.time.Instant;
import java.util.List;
import org.llmgateway.observe.Stats;

/**
 * What one replica publishes about itself every few seconds for the fleet-wide stats: its totals
 * since start and its non-empty minutes of the last day.
 *
 * @param minutes {@code [epoch minute, requests, errors, tokens]} per minute with traffic
 */
public record ReplicaReport(
    String replica,
    Instant startedAt,
    Instant updatedAt,
    int activeStreams,
    Stats.Totals allTime,
    List<long[]> minutes) {

  /** Requests, errors and tokens of the minutes in {@code [fromMinute, toMinute]}. */
  public Stats.Totals between(long fromMinute, long toMinute) {
    long requests = 0;
    long errors = 0;
    long tokens = 0;
    for (long[] m : minutes) {
      if (m.length == MINUTE_FIELDS && m[0] >= fromMinute && m[0] <= toMinute) {
        requests += m[1];
        errors += m[2];
        tokens += m[3];
      }
    }
    return new Stats.Totals(requests, errors, tokens);
  }

  static final int MINUTE_FIELDS = 4;
}
