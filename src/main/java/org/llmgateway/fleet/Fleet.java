package org.llmgateway.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.llmgateway.observe.Stats;
import org.llmgateway.observe.ViewJson;
import org.llmgateway.routing.Circuits;
import org.llmgateway.routing.KeyPool;
import org.llmgateway.routing.StateEvents;
import org.llmgateway.routing.WindowCounts;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * The state a fleet of replicas shares through Redis, kept so that no request ever waits for Redis:
 *
 * <ul>
 *   <li>Key cooldowns and resets: a request thread only queues the event; the sync thread publishes
 *       it at once on the fleet's channel and keeps active cooldowns in a hash. The subscriber
 *       thread applies other replicas' events to this replica's {@link KeyPool}, so every replica
 *       skips a cooled key from its own memory within milliseconds.
 *   <li>Breaker evidence: every {@link #TICK} the sync thread adds this replica's outcomes to
 *       per-second buckets in Redis and reads the other replicas' sums back into {@link Circuits},
 *       so a provider opens on the fleet's failure rate; an opening is published like a cooldown.
 *   <li>Fleet stats: each replica publishes a {@link ReplicaReport} every {@link #REPORT_EVERY}.
 * </ul>
 *
 * While Redis is down each replica runs on its local state (see {@link RedisLink}); events it could
 * not publish are kept and sent, and the others' cooldowns read back, when Redis answers again.
 */
public final class Fleet implements AutoCloseable {
  /** How often outcomes are shared and the others' read back. */
  static final Duration TICK = Duration.ofMillis(100);

  static final Duration REPORT_EVERY = Duration.ofSeconds(2);

  /** A replica that has not reported for this long is gone from the fleet view. */
  static final Duration REPORT_TTL = Duration.ofSeconds(10);

  /**
   * The subscriber's read timeout; the sync thread pings it more often, so only a dead link waits
   * this long.
   */
  static final int SUBSCRIBER_READ_TIMEOUT_MILLIS = 3_000;

  static final Duration SUBSCRIBER_PING_EVERY = Duration.ofSeconds(1);
  static final Duration RESUBSCRIBE_DELAY = Duration.ofMillis(250);

  /** Events a burst may queue before they are dropped (each one a cooldown or an opening). */
  static final int OUTBOX_CAPACITY = 10_000;

  /** Events kept while Redis is down, newest per key or provider. */
  static final int UNSENT_CAPACITY = 10_000;

  private static final Logger LOG = LogManager.getLogger(Fleet.class);
  private static final ObjectMapper JSON = ViewJson.MAPPER;

  /** How long a reset is remembered in the hash, so a late replay of an older cooldown loses. */
  static final Duration RESET_MEMORY = Duration.ofDays(1);

  /**
   * Stores {@code ARGV[3]} (a key event) in hash {@code KEYS[1]} at field {@code ARGV[1]} unless
   * the event stored there is newer than {@code ARGV[2]}: a replica replaying what it could not
   * send while Redis was down cannot undo a later reset.
   */
  static final String PUT_IF_NEWER_SCRIPT =
      """
      local current = redis.call('HGET', KEYS[1], ARGV[1])
      if current then
        local ok, stored = pcall(cjson.decode, current)
        if ok and tonumber(stored['at_millis']) and tonumber(stored['at_millis']) > tonumber(ARGV[2]) then
          return 0
        end
      end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
      return 1
      """;

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
  private final Clock clock;
  private final KeyPool keys;
  private final Circuits circuits;
  private final Supplier<Set<String>> providers;
  private final Stats stats;
  private final String self;
  private final Instant startedAt;
  private final long bucketMillis;
  private final int buckets;
  private final String channel;
  private final String cooldownsKey;
  private final LinkedBlockingQueue<FleetEvent> outbox = new LinkedBlockingQueue<>(OUTBOX_CAPACITY);

  /** Touched by the sync thread only. */
  private final LinkedHashMap<String, FleetEvent> unsent = new LinkedHashMap<>();

  private final Counter events;
  private final Thread sync;
  private final Thread subscriber;
  private volatile JedisPubSub subscription;
  private volatile boolean catchUpDue = true;
  private volatile boolean closed;
  private String sumScriptSha;

  private Fleet(
      RedisLink link,
      Clock clock,
      KeyPool keys,
      Circuits circuits,
      Supplier<Set<String>> providers,
      Stats stats,
      PrometheusRegistry registry) {
    this.link = link;
    this.events =
        Counter.builder()
            .name("gateway_fleet_events_total")
            .help(
                "Key cooldowns, resets and circuit openings shared with the fleet, by direction (sent; received by pub/sub; caught_up from the shared hash after a (re)connection; dropped: the queue was full) and type")
            .labelNames("direction", "type")
            .withoutExemplars()
            .register(registry);
    this.clock = clock;
    this.keys = keys;
    this.circuits = circuits;
    this.providers = providers;
    this.stats = stats;
    this.self = link.settings().replicaId();
    this.startedAt = clock.instant();
    this.buckets = 10;
    this.bucketMillis = Math.max(1, circuits.policy().window().toMillis() / buckets);
    this.channel = link.key("events");
    this.cooldownsKey = link.key("cooldowns");
    link.onRecovery(() -> catchUpDue = true);
    StateEvents outbox = new Outbox();
    keys.listen(outbox);
    circuits.listen(outbox);
    this.sync = Thread.ofPlatform().name("fleet-sync").daemon().unstarted(this::syncLoop);
    this.subscriber =
        Thread.ofPlatform().name("fleet-subscriber").daemon().unstarted(this::subscribeLoop);
  }

  /**
   * Starts sharing {@code keys}' cooldowns and {@code circuits}' evidence through {@code link}.
   * {@code providers} names the configured providers (their fleet evidence is read every tick).
   */
  public static Fleet start(
      RedisLink link,
      Clock clock,
      KeyPool keys,
      Circuits circuits,
      Supplier<Set<String>> providers,
      Stats stats,
      PrometheusRegistry registry) {
    Fleet fleet = new Fleet(link, clock, keys, circuits, providers, stats, registry);
    fleet.subscriber.start();
    fleet.sync.start();
    LOG.info(
        "sharing key cooldowns, breaker evidence and stats through redis at {} as replica {}",
        link.settings().displayUrl(),
        fleet.self);
    return fleet;
  }

  public RedisLink link() {
    return link;
  }

  public String replicaId() {
    return self;
  }

  /** Request threads hand events to the sync thread; a full queue drops (and counts) them. */
  private final class Outbox implements StateEvents {
    @Override
    public void keyCooled(
        String provider, String keyId, long atMillis, long untilMillis, String reason) {
      offer(
          new FleetEvent(
              self, FleetEvent.COOLDOWN, provider, keyId, untilMillis, atMillis, reason, 0));
    }

    @Override
    public void keyReset(String provider, String keyId, long atMillis) {
      offer(new FleetEvent(self, FleetEvent.RESET, provider, keyId, 0, atMillis, "", 0));
    }

    @Override
    public void circuitOpened(
        String provider, long openedAtMillis, long untilMillis, String reason, int rate) {
      offer(
          new FleetEvent(
              self,
              FleetEvent.CIRCUIT_OPEN,
              provider,
              "",
              untilMillis,
              openedAtMillis,
              reason,
              rate));
    }

    private void offer(FleetEvent event) {
      if (!outbox.offer(event)) {
        events.labelValues("dropped", event.type()).inc();
        LOG.warn("fleet event queue full: {} of {} not shared", event.type(), event.provider());
      }
    }
  }

  // ---- the sync thread ----

  private void syncLoop() {
    long nextTick = clock.millis();
    long nextReport = nextTick;
    long nextPing = nextTick;
    List<FleetEvent> batch = new ArrayList<>();
    while (!closed) {
      try {
        long wait = Math.max(0, nextTick - clock.millis());
        FleetEvent first = outbox.poll(wait, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          outbox.drainTo(batch);
          publish(batch);
          batch.clear();
        }
        long now = clock.millis();
        if (now < nextTick) {
          continue;
        }
        nextTick = now + TICK.toMillis();
        link.probe();
        if (!link.up()) {
          continue;
        }
        if (catchUpDue) {
          catchUp();
        }
        shareEvidence(now);
        if (now >= nextPing) {
          nextPing = now + SUBSCRIBER_PING_EVERY.toMillis();
          pingSubscription();
        }
        if (now >= nextReport) {
          nextReport = now + REPORT_EVERY.toMillis();
          report();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // never let one bad tick end sharing for good
        LOG.error("fleet sync failed: {}", e.toString());
      }
    }
  }

  private void publish(List<FleetEvent> events) {
    if (!link.up()) {
      keepUnsent(events);
      return;
    }
    Optional<Boolean> sent =
        link.callInBackground(
            "events",
            redis -> {
              try (AbstractPipeline p = redis.pipelined()) {
                for (FleetEvent e : events) {
                  String body = json(e);
                  if (!e.type().equals(FleetEvent.CIRCUIT_OPEN)) {
                    p.eval(
                        PUT_IF_NEWER_SCRIPT,
                        List.of(cooldownsKey),
                        List.of(e.keyField(), Long.toString(e.atMillis()), body));
                  }
                  p.publish(channel, body);
                }
                p.sync();
              }
              return true;
            });
    if (sent.isEmpty()) {
      keepUnsent(events);
      return;
    }
    for (FleetEvent e : events) {
      this.events.labelValues("sent", e.type()).inc();
    }
  }

  private void keepUnsent(List<FleetEvent> events) {
    for (FleetEvent e : events) {
      String id =
          e.type().equals(FleetEvent.CIRCUIT_OPEN)
              ? "circuit\n" + e.provider()
              : "key\n" + e.keyField();
      unsent.remove(id);
      if (unsent.size() < UNSENT_CAPACITY) {
        unsent.put(id, e);
      }
    }
  }

  /**
   * After a (re)connection: sends what could not be sent while Redis was down (still relevant
   * only), then applies the other replicas' active cooldowns.
   */
  private void catchUp() {
    long now = clock.millis();
    List<FleetEvent> pending = new ArrayList<>();
    for (FleetEvent e : unsent.values()) {
      if (e.type().equals(FleetEvent.RESET) || e.untilMillis() > now) {
        pending.add(e);
      }
    }
    unsent.clear();
    if (!pending.isEmpty()) {
      publish(pending);
    }
    Optional<Map<String, String>> active =
        link.callInBackground("catch_up", redis -> redis.hgetAll(cooldownsKey));
    if (active.isEmpty()) {
      return;
    }
    List<String> expired = new ArrayList<>();
    active
        .get()
        .forEach(
            (field, value) -> {
              Optional<FleetEvent> e = parse(value);
              if (e.isEmpty()) {
                expired.add(field);
              } else if (e.get().type().equals(FleetEvent.RESET)) {
                if (now - e.get().atMillis() > RESET_MEMORY.toMillis()) {
                  expired.add(field);
                } else {
                  apply(e.get(), "caught_up");
                }
              } else if (e.get().untilMillis() <= now) {
                expired.add(field);
              } else {
                apply(e.get(), "caught_up");
              }
            });
    if (!expired.isEmpty()) {
      link.callInBackground(
          "catch_up", redis -> redis.hdel(cooldownsKey, expired.toArray(String[]::new)));
    }
    catchUpDue = false;
  }

  /** Adds this replica's outcomes to the current bucket and reads the others' window back. */
  private void shareEvidence(long now) {
    Map<String, WindowCounts> mine = circuits.drainOutcomes();
    Set<String> names = new HashSet<>(providers.get());
    names.addAll(mine.keySet());
    if (names.isEmpty()) {
      return;
    }
    long seq = now / bucketMillis;
    Map<String, List<String>> windows = new LinkedHashMap<>();
    for (String provider : names) {
      List<String> window = new ArrayList<>(buckets);
      for (int i = 0; i < buckets; i++) {
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
    long expireMillis = 2 * buckets * bucketMillis;
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

  private void pingSubscription() {
    JedisPubSub s = subscription;
    if (s != null && s.isSubscribed()) {
      try {
        s.ping();
      } catch (RuntimeException e) {
        // the subscriber thread sees the broken connection and reconnects
      }
    }
  }

  private void report() {
    Stats.View day = stats.view(Stats.MINUTES);
    List<long[]> minutes = new ArrayList<>();
    for (Stats.Point p : day.series()) {
      if (p.requests() > 0 || p.errors() > 0 || p.tokens() > 0) {
        minutes.add(
            new long[] {p.minute().toEpochMilli() / 60_000L, p.requests(), p.errors(), p.tokens()});
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

  /**
   * The fleet's replicas as they last reported (this one included), sorted by id; empty when Redis
   * does not answer. For the admin views: waits for Redis (with the short timeout), never called on
   * the request path.
   */
  public Optional<List<ReplicaReport>> replicas() {
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
            Optional<ReplicaReport> r = body == null ? Optional.empty() : parseReport(body);
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

  // ---- the subscriber thread ----

  private void subscribeLoop() {
    while (!closed) {
      try (Jedis connection = link.subscriberConnection(SUBSCRIBER_READ_TIMEOUT_MILLIS)) {
        Listener listener = new Listener();
        subscription = listener;
        connection.subscribe(listener, channel);
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.debug("fleet subscription ended: {}", e.toString());
        }
      }
      subscription = null;
      try {
        Thread.sleep(RESUBSCRIBE_DELAY);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private final class Listener extends JedisPubSub {
    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      catchUpDue = true; // events published while we were not listening are in the hash
    }

    @Override
    public void onMessage(String channel, String message) {
      parse(message).filter(e -> !e.origin().equals(self)).ifPresent(e -> apply(e, "received"));
    }
  }

  /**
   * Applies another replica's event, {@code how}: "received" (pub/sub) or "caught_up" (the hash).
   */
  private void apply(FleetEvent e, String how) {
    events.labelValues(how, e.type()).inc();
    switch (e.type()) {
      case FleetEvent.COOLDOWN ->
          keys.cooledElsewhere(e.provider(), e.keyId(), e.atMillis(), e.untilMillis(), e.reason());
      case FleetEvent.RESET -> keys.resetElsewhere(e.provider(), e.keyId(), e.atMillis());
      case FleetEvent.CIRCUIT_OPEN ->
          circuits.openedElsewhere(
              e.provider(), e.atMillis(), e.untilMillis(), e.reason(), e.failureRatePercent());
      default -> LOG.debug("ignoring fleet event of unknown type {}", e.type());
    }
  }

  private static String json(FleetEvent e) {
    try {
      return JSON.writeValueAsString(e);
    } catch (JsonProcessingException x) {
      throw new IllegalStateException(x);
    }
  }

  private static Optional<FleetEvent> parse(String message) {
    try {
      FleetEvent e = JSON.readValue(message, FleetEvent.class);
      return e.origin() == null || e.type() == null || e.provider() == null
          ? Optional.empty()
          : Optional.of(e);
    } catch (JsonProcessingException | IllegalArgumentException x) {
      return Optional.empty();
    }
  }

  private static Optional<ReplicaReport> parseReport(String body) {
    try {
      return Optional.of(JSON.readValue(body, ReplicaReport.class));
    } catch (JsonProcessingException | IllegalArgumentException x) {
      return Optional.empty();
    }
  }

  /** Stops both threads (the link is the gateway's to close); events still queued are dropped. */
  @Override
  public void close() {
    closed = true;
    JedisPubSub s = subscription;
    if (s != null) {
      try {
        s.unsubscribe();
      } catch (RuntimeException e) {
        // its connection is already gone
      }
    }
    sync.interrupt();
    subscriber.interrupt();
    try {
      sync.join(Duration.ofSeconds(2));
      subscriber.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
