package org.llmgateway.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.llmgateway.observe.Stats;
import org.llmgateway.observe.ViewJson;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.params.SetParams;

/**
 * Each replica's {@link ReplicaReport} in Redis ({@code prefix:replica:id}, expiring, and the set
 * {@code prefix:replicas}), written by the sync thread and read by the admin views.
 */
final class ReplicaReports {
  static final Duration REPORT_EVERY = Duration.ofSeconds(2);

  /** A replica that has not reported for this long is gone from the fleet view. */
  static final Duration REPORT_TTL = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = ViewJson.MAPPER;
  private static final long MINUTE_MILLIS = 60_000L;

  private final RedisLink link;
  private final Clock clock;
  private final Stats stats;
  private final String self;
  private final Instant startedAt;

  ReplicaReports(RedisLink link, Clock clock, Stats stats) {
    this.link = link;
    this.clock = clock;
    this.stats = stats;
    this.self = link.settings().replicaId();
    this.startedAt = clock.instant();
  }

  /** Publishes this replica's totals and its minutes with traffic of the last day. */
  void publish() {
    Stats.View day = stats.view(Stats.MINUTES);
    List<long[]> minutes = new ArrayList<>();
    for (Stats.Point p : day.series()) {
      if (p.requests() > 0 || p.errors() > 0 || p.tokens() > 0) {
        minutes.add(
            new long[] {
              p.minute().toEpochMilli() / MINUTE_MILLIS, p.requests(), p.errors(), p.tokens()
            });
      }
    }
    ReplicaReport r =
        new ReplicaReport(
            self, startedAt, clock.instant(), day.activeStreams(), day.allTime(), minutes);
    String body;
    try {
      body = JSON.writeValueAsString(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    link.callInBackground(
        "report",
        redis -> {
          try (AbstractPipeline p = redis.pipelined()) {
            p.set(link.key("replica", self), body, SetParams.setParams().px(REPORT_TTL.toMillis()));
            p.sadd(link.key("replicas"), self);
            p.sync();
          }
          return true;
        });
  }

  /** Every replica's last report, sorted by id; empty when Redis does not answer. */
  Optional<List<ReplicaReport>> read() {
    return link.callInBackground(
        "fleet_stats",
        redis -> {
          List<String> ids = new ArrayList<>(redis.smembers(link.key("replicas")));
          ids.sort(null);
          if (ids.isEmpty()) {
            return List.of();
          }
          List<String> bodies =
              redis.mget(ids.stream().map(id -> link.key("replica", id)).toArray(String[]::new));
          List<ReplicaReport> out = new ArrayList<>();
          List<String> gone = new ArrayList<>();
          for (int i = 0; i < ids.size(); i++) {
            String body = bodies.get(i);
            Optional<ReplicaReport> r = body == null ? Optional.empty() : parse(body);
            if (r.isPresent()) {
              out.add(r.get());
            } else {
              gone.add(ids.get(i));
            }
          }
          if (!gone.isEmpty()) {
            redis.srem(link.key("replicas"), gone.toArray(String[]::new));
          }
          return out;
        });
  }

  private static Optional<ReplicaReport> parse(String body) {
    try {
      ReplicaReport r = JSON.readValue(body, ReplicaReport.class);
      return r.replica() == null || r.allTime() == null || r.minutes() == null
          ? Optional.empty()
          : Optional.of(r);
    } catch (JsonProcessingException | IllegalArgumentException x) {
      return Optional.empty();
    }
  }
}
