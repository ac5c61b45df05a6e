package org.llmgateway.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.llmgateway.fleet.Fleet;
import org.llmgateway.fleet.ReplicaReport;
import org.llmgateway.observe.Stats;

/**
 * The {@code fleet} part of {@code GET /admin/stats} when Redis is configured: each replica's
 * totals over the same window (as it last reported, every two seconds) and their sum.
 *
 * @param available false when Redis does not answer: the rest of the stats are this replica's only
 * @param self this replica's id
 */
record FleetStatsView(
    boolean available,
    String self,
    int replicaCount,
    Stats.Totals totals,
    Stats.Totals allTime,
    int activeStreams,
    List<Replica> replicas) {

  /** One replica's row. */
  record Replica(
      String replica,
      boolean self,
      Instant startedAt,
      Instant updatedAt,
      Stats.Totals totals,
      Stats.Totals allTime,
      int activeStreams) {}

  static FleetStatsView of(Fleet fleet, Stats.View local) {
    Optional<List<ReplicaReport>> reports = fleet.replicas();
    if (reports.isEmpty()) {
      return new FleetStatsView(
          false,
          fleet.replicaId(),
          0,
          local.totals(),
          local.allTime(),
          local.activeStreams(),
          List.of());
    }
    long fromMinute = local.from().toEpochMilli() / MINUTE_MILLIS;
    long toMinute = local.to().toEpochMilli() / MINUTE_MILLIS;
    List<Replica> rows = new ArrayList<>();
    long[] window = new long[3];
    long[] all = new long[3];
    int streams = 0;
    for (ReplicaReport r : reports.get()) {
      Stats.Totals t = r.between(fromMinute, toMinute);
      rows.add(
          new Replica(
              r.replica(),
              r.replica().equals(fleet.replicaId()),
              r.startedAt(),
              r.updatedAt(),
              t,
              r.allTime(),
              r.activeStreams()));
      add(window, t);
      add(all, r.allTime());
      streams += r.activeStreams();
    }
    return new FleetStatsView(
        true,
        fleet.replicaId(),
        rows.size(),
        new Stats.Totals(window[0], window[1], window[2]),
        new Stats.Totals(all[0], all[1], all[2]),
        streams,
        rows);
  }

  private static void add(long[] sum, Stats.Totals t) {
    sum[0] += t.requests();
    sum[1] += t.errors();
    sum[2] += t.tokens();
  }

  private static final long MINUTE_MILLIS = 60_000L;
}
