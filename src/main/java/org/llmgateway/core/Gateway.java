package org.llmgateway.core;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.llmgateway.config.ConfigException;
import org.llmgateway.config.ConfigLoader;
import org.llmgateway.config.GatewayConfig;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.fleet.RedisLink;
import org.llmgateway.fleet.SharedRateLimits;
import org.llmgateway.limit.LocalRateLimits;
import org.llmgateway.limit.RateLimits;
import org.llmgateway.observe.Observer;
import org.llmgateway.observe.ReloadResult;
import org.llmgateway.relay.Relay;
import org.llmgateway.relay.StallGuard;
import org.llmgateway.routing.Circuits;
import org.llmgateway.routing.KeyPool;
import org.llmgateway.routing.Router;
import org.llmgateway.routing.Snapshot;
import org.llmgateway.translate.TranslatingUpstream;
import org.llmgateway.upstream.HttpUpstream;
import org.llmgateway.upstream.MockUpstream;
import org.llmgateway.upstream.TransportStats;

/**
 * The running gateway: the active configuration {@link Snapshot} behind one {@link
 * AtomicReference}, and the state that outlives reloads (key pool, circuits). Shared by every
 * request; thread-safe.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(Gateway.class);

  /** Result of a reload: whether a new snapshot went live, and the errors when it did not. */
  public record Reload(boolean changed, boolean ok, String hash, List<String> errors) {}

  private final Settings settings;
  private final Clock clock;
  private final ConfigLoader loader;
  private final AtomicReference<Snapshot> active = new AtomicReference<>();
  private final AtomicReference<List<String>> lastErrors = new AtomicReference<>(List.of());
  private final KeyPool keys;
  private final Circuits circuits;
  private final HttpUpstream http;
  private final StallGuard stalls;
  private final Relay relay;
  private final Observer observer;
  private final Optional<RedisLink> redis;
  private final RateLimits rateLimits;

  /**
   * @param redis the fleet's Redis when {@code GATEWAY_REDIS_URL} is set: state shared across
   *     replicas (the gateway closes it)
   */
  public Gateway(Settings settings, Clock clock, Observer observer, Optional<RedisLink> redis) {
    this.settings = settings;
    this.clock = clock;
    this.observer = observer;
    this.redis = redis;
    LocalRateLimits localLimits = new LocalRateLimits(clock);
    this.rateLimits =
        redis.<RateLimits>map(r -> new SharedRateLimits(r, localLimits)).orElse(localLimits);
    this.loader = new ConfigLoader(settings.env());
    this.keys = new KeyPool(clock);
    this.circuits = new Circuits(clock, settings.breaker());
    this.http = new HttpUpstream();
    this.stalls = new StallGuard();
    this.relay =
        new Relay(
            new Relay.Config(
                new TranslatingUpstream(http),
                new TranslatingUpstream(new MockUpstream()),
                keys,
                circuits,
                new Router(Gateway::threadLocalRandom),
                stalls,
                observer,
                settings.maxAttempts(),
                settings.requestTimeout(),
                Duration.ofSeconds(settings.keyCooldownSec()),
                settings.keyWait(),
                settings.exposeSelection(),
                settings.logBodies(),
                clock));
  }

  /** A random source safe to share: each call uses the calling thread's own generator. */
  private static long threadLocalRandom() {
    return ThreadLocalRandom.current().nextLong();
  }

  /**
   * Loads the configuration named by the settings; throws {@link ConfigException} listing every
   * problem.
   */
  public GatewayConfig load() {
    return settings
        .configFile()
        .map(loader::loadFile)
        .orElseGet(() -> loader.loadDirectory(settings.configDir()));
  }

  /**
   * Builds a new snapshot aside and swaps it in when it is valid and different. A broken
   * configuration keeps the last good one serving. Requests in flight keep the snapshot they
   * started with.
   */
  public synchronized Reload reload() {
    try {
      GatewayConfig config = load();
      Snapshot current = active.get();
      lastErrors.set(List.of());
      if (current != null && current.config().hash().equals(config.hash())) {
        observer.reloaded(ReloadResult.UNCHANGED);
        return new Reload(false, true, config.hash(), List.of());
      }
      active.set(new Snapshot(config, clock.instant()));
      LOG.info(
          "config loaded: hash={} files={} providers={} models={} gateway_keys={}",
          config.hash().substring(0, 12),
          config.sources().size(),
          config.providers().size(),
          config.models().size(),
          config.gatewayKeys().size());
      if (settings.authEnabled() && config.gatewayKeys().isEmpty()) {
        LOG.error(
            "GATEWAY_AUTH_ENABLED is true but no gateway_keys are configured: every API request is refused");
      }
      observer.reloaded(ReloadResult.OK);
      return new Reload(true, true, config.hash(), List.of());
    } catch (ConfigException e) {
      lastErrors.set(e.errors());
      LOG.error("config reload failed: {}", e.getMessage());
      observer.reloaded(ReloadResult.FAILED);
      return new Reload(false, false, "", e.errors());
    }
  }

  /** The active snapshot; empty until a valid configuration has loaded. */
  public Optional<Snapshot> snapshot() {
    return Optional.ofNullable(active.get());
  }

  /**
   * The active snapshot, or a 503 {@link ErrorKind#NOT_READY} when no valid configuration has
   * loaded yet.
   */
  public Snapshot readySnapshot() {
    Snapshot s = active.get();
    if (s == null) {
      throw new GatewayException(
          ErrorKind.NOT_READY, "the gateway has no valid configuration loaded yet");
    }
    return s;
  }

  /** The errors of the last failed load (empty after a good one). */
  public List<String> lastErrors() {
    return lastErrors.get();
  }

  public Settings settings() {
    return settings;
  }

  public Clock clock() {
    return clock;
  }

  public KeyPool keys() {
    return keys;
  }

  public Circuits circuits() {
    return circuits;
  }

  public Relay relay() {
    return relay;
  }

  public Observer observer() {
    return observer;
  }

  /** The fleet's Redis, when configured: for state shared across replicas. */
  public Optional<RedisLink> redis() {
    return redis;
  }

  /**
   * The gateway keys' {@code rpm}/{@code tpm} limits: shared by the fleet through Redis when it is
   * configured, else this replica's own; kept across reloads.
   */
  public RateLimits rateLimits() {
    return rateLimits;
  }

  /** The names of the providers of the active configuration (none before the first good load). */
  public Set<String> providerNames() {
    Snapshot s = active.get();
    return s == null ? Set.of() : s.config().providers().keySet();
  }

  /**
   * A provider's connections as used so far (HTTP version, connections in use, TLS failures); empty
   * before use.
   */
  public Optional<TransportStats> transportStats(String provider) {
    return http.transportStats(provider);
  }

  @Override
  public void close() {
    stalls.close();
    http.close();
    rateLimits.close(); // sends the last token charges while Redis is still connected
    redis.ifPresent(RedisLink::close);
  }
}
