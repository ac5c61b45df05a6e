package org.llmgateway.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
import redis.clients.jedis.AbstractPipeline;

/**
 * The state a fleet of replicas shares through Redis, kept so that no request ever waits for Redis:
 *
 * <ul>
 *   <li>Key cooldowns and resets: a request thread only queues the event; the sync thread publishes
 *       it at once on the fleet's channel and keeps the latest event per key in a hash. The {@link
 *       FleetSubscription} applies other replicas' events to this replica's {@link KeyPool}, so
 *       every replica skips a cooled key from its own memory within milliseconds.
 *   <li>Breaker evidence ({@link SharedEvidence}): every {@link #TICK} this replica's outcomes go
 *       to Redis and the others' come back into {@link Circuits}, so a provider opens on the
 *       fleet's failure rate; an opening is published like a cooldown.
 *   <li>Fleet stats: each replica publishes a {@link ReplicaReport} every two seconds ({@link
 *       ReplicaReports}).
 * </ul>
 *
 * While Redis is down each replica runs on its local state (see {@link RedisLink}); events it could
 * not publish are kept and sent, and the others' read back from the hash, when Redis answers again.
 */
public final class Fleet implements AutoCloseable {
  /** How often outcomes are shared and the others' read back. */
  static final Duration TICK = Duration.ofMillis(100);

  static final Duration SUBSCRIPTION_PING_EVERY = Duration.ofSeconds(1);

  /** Events a burst may queue before they are dropped (each one a cooldown or an opening). */
  static final int OUTBOX_CAPACITY = 10_000;

  /** Events kept while Redis is down, newest per key or provider. */
  static final int UNSENT_CAPACITY = 10_000;

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

  private static final Logger LOG = LogManager.getLogger(Fleet.class);
  private static final ObjectMapper JSON = ViewJson.MAPPER;

  private final RedisLink link;
  private final Clock clock;
  private final KeyPool keys;
  private final Circuits circuits;
  private final String self;
  private final String channel;
  private final String cooldownsKey;
  private final SharedEvidence evidence;
  private final ReplicaReports reports;
  private final FleetSubscription subscription;
  private final LinkedBlockingQueue<FleetEvent> outbox = new LinkedBlockingQueue<>(OUTBOX_CAPACITY);

  /** Touched by the sync thread only. */
  private final LinkedHashMap<String, FleetEvent> unsent = new LinkedHashMap<>();

  private final Counter events;
  private final Thread sync;
  private volatile boolean catchUpDue = true;
  private volatile boolean closed;

  private Fleet(
      RedisLink link,
      Clock clock,
      KeyPool keys,
      Circuits circuits,
      Supplier<Set<String>> providers,
      Stats stats,
      PrometheusRegistry registry) {
    this.link = link;
    this.clock = clock;
    this.keys = keys;
    this.circuits = circuits;
    this.self = link.settings().replicaId();
    this.channel = link.key("events");
    this.cooldownsKey = link.key("cooldowns");
    this.evidence = new SharedEvidence(link, circuits, providers);
    this.reports = new ReplicaReports(link, clock, stats);
    this.subscription =
        new FleetSubscription(
            link,
            channel,
            message ->
                parse(message)
                    .filter(e -> !e.origin().equals(self))
                    .ifPresent(e -> apply(e, "received")),
            // events published while this replica was not listening are in the hash
            () -> catchUpDue = true);
    this.events =
        Counter.builder()
            .name("gateway_fleet_events_total")
            .help(
                "Key cooldowns, resets and circuit openings shared with the fleet, by direction (sent; received by pub/sub; caught_up from the shared hash after a (re)connection; dropped: the queue was full) and type")
            .labelNames("direction", "type")
            .withoutExemplars()
            .register(registry);
    link.onRecovery(() -> catchUpDue = true);
    StateEvents outboxEvents = new Outbox();
    keys.listen(outboxEvents);
    circuits.listen(outboxEvents);
    this.sync = Thread.ofPlatform().name("fleet-sync").daemon().unstarted(this::syncLoop);
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
    fleet.subscription.start();
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

  /**
   * The fleet's replicas as they last reported (this one included), sorted by id; empty when Redis
   * does not answer. For the admin views: may wait for Redis (up to the background budget), never
   * called on the request path.
   */
  public Optional<List<ReplicaReport>> replicas() {
    return reports.read();
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
        evidence.share(now);
        if (now >= nextPing) {
          nextPing = now + SUBSCRIPTION_PING_EVERY.toMillis();
          subscription.ping();
        }
        if (now >= nextReport) {
          nextReport = now + ReplicaReports.REPORT_EVERY.toMillis();
          reports.publish();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // never let one bad tick end sharing for good
        LOG.error("fleet sync failed: {}", e.toString());
      }
    }
  }

  private void publish(List<FleetEvent> batch) {
    if (!link.up()) {
      keepUnsent(batch);
      return;
    }
    Optional<Boolean> sent =
        link.callInBackground(
            "events",
            redis -> {
              try (AbstractPipeline p = redis.pipelined()) {
                for (FleetEvent e : batch) {
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
      keepUnsent(batch);
      return;
    }
    for (FleetEvent e : batch) {
      events.labelValues("sent", e.type()).inc();
    }
  }

  private void keepUnsent(List<FleetEvent> batch) {
    for (FleetEvent e : batch) {
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
   * only), then applies the latest key events of the hash (ordered by their time, see {@link
   * KeyPool#cooledElsewhere}) and drops the ones that ended.
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
    Optional<Map<String, String>> latest =
        link.callInBackground("catch_up", redis -> redis.hgetAll(cooldownsKey));
    if (latest.isEmpty()) {
      return;
    }
    List<String> ended = new ArrayList<>();
    latest
        .get()
        .forEach(
            (field, value) -> {
              Optional<FleetEvent> e = parse(value);
              boolean over =
                  e.isEmpty()
                      || (e.get().type().equals(FleetEvent.RESET)
                          ? now - e.get().atMillis() > RESET_MEMORY.toMillis()
                          : e.get().untilMillis() <= now);
              if (over) {
                ended.add(field);
              } else {
                apply(e.get(), "caught_up");
              }
            });
    if (!ended.isEmpty()) {
      link.callInBackground(
          "catch_up", redis -> redis.hdel(cooldownsKey, ended.toArray(String[]::new)));
    }
    catchUpDue = false;
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

  /** Stops both threads (the link is the gateway's to close); events still queued are dropped. */
  @Override
  public void close() {
    closed = true;
    subscription.close();
    sync.interrupt();
    try {
      sync.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
