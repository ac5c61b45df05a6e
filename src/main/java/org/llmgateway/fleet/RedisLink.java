package org.llmgateway.fleet;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLParameters;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.llmgateway.config.ExtraTrust;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * This replica's connection to the fleet's Redis, built so that Redis can never block or fail a
 * request: every command has the short {@link FleetSettings#timeout()}; a command that fails or
 * times out marks Redis down, and while it is down {@link #call} answers "no" at once without
 * touching the network, until the fleet's sync thread sees it answer again ({@link #probe()}).
 * Every "no" is a fallback to local state: counted in {@code gateway_redis_fallbacks_total} and
 * logged at most once a minute.
 *
 * <p>Jedis with a connection pool: a blocking client whose calls are plain socket reads and writes,
 * which park a virtual thread instead of pinning its carrier, so it fits the gateway's one virtual
 * thread per request without an event loop or futures (Lettuce would bring Netty for nothing here).
 */
public final class RedisLink implements AutoCloseable {
  /** How often a fallback is logged at most. */
  static final long LOG_INTERVAL_MILLIS = 60_000;

  /**
   * Connections kept: request threads borrow one per rate-limit check for well under a millisecond.
   */
  static final int POOL_SIZE = 64;

  /**
   * The budget of the sync thread's and the admin views' commands, which no request waits for: a
   * pipeline over many providers may take longer than a request's few milliseconds without Redis
   * being unwell.
   */
  static final int BACKGROUND_TIMEOUT_MILLIS = 1_000;

  static final int BACKGROUND_POOL_SIZE = 4;

  /** While down, how often Redis is asked whether it answers again (each ask may be a connect). */
  static final long PROBE_EVERY_MILLIS = 500;

  private static final Logger LOG = LogManager.getLogger(RedisLink.class);

  private final FleetSettings settings;
  private final Clock clock;
  private final JedisPooled pool;
  private final JedisPooled background;
  private final Counter fallbacks;
  private final Map<String, CounterDataPoint> fallbackPoints = new ConcurrentHashMap<>();
  private final AtomicLong lastLogMillis = new AtomicLong(Long.MIN_VALUE / 2);
  private volatile boolean up = true;
  private long lastProbeMillis;
  private volatile Runnable onRecovery = () -> {};

  public RedisLink(FleetSettings settings, Clock clock, PrometheusRegistry registry) {
    this.settings = settings;
    this.clock = clock;
    int timeout = (int) settings.timeout().toMillis();
    this.pool =
        new JedisPooled(
            settings.hostAndPort(),
            clientConfig(settings, timeout),
            poolConfig(POOL_SIZE, settings.timeout()));
    int backgroundTimeout = Math.max(timeout, BACKGROUND_TIMEOUT_MILLIS);
    this.background =
        new JedisPooled(
            settings.hostAndPort(),
            clientConfig(settings, backgroundTimeout),
            poolConfig(BACKGROUND_POOL_SIZE, Duration.ofMillis(backgroundTimeout)));
    this.fallbacks =
        Counter.builder()
            .name("gateway_redis_fallbacks_total")
            .help(
                "Redis operations answered from this replica's local state instead (Redis down, slow or refused), by operation")
            .labelNames("operation")
            .withoutExemplars()
            .register(registry);
    GaugeWithCallback.builder()
        .name("gateway_redis_up")
        .help("1 while this replica reaches the fleet's Redis, 0 while it runs on local state")
        .callback(cb -> cb.call(up ? 1 : 0))
        .register(registry);
  }

  /**
   * Runs one command (or one pipeline, one script) with the short timeout. Empty when Redis is
   * down, slow or refused the command: the caller uses its local state.
   */
  public <T> Optional<T> call(String operation, Function<UnifiedJedis, T> command) {
    return call(pool, operation, command);
  }

  /**
   * Like {@link #call}, with the longer budget of work no request waits for (the sync thread, the
   * admin views).
   */
  <T> Optional<T> callInBackground(String operation, Function<UnifiedJedis, T> command) {
    return call(background, operation, command);
  }

  private <T> Optional<T> call(
      JedisPooled connections, String operation, Function<UnifiedJedis, T> command) {
    if (!up) {
      fallback(operation, null);
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(command.apply(connections));
    } catch (JedisConnectionException | JedisAccessControlException e) {
      // unreachable, or it will not let this replica in (password, TLS): down until it does
      up = false;
      fallback(operation, e);
      return Optional.empty();
    } catch (RuntimeException e) {
      // a refused command (or a pool with no free connection within the timeout): Redis itself
      // answers, so it stays up
      fallback(operation, e);
      return Optional.empty();
    }
  }

  /** Whether commands go to Redis now. */
  public boolean up() {
    return up;
  }

  /** A Redis key or channel name in this fleet's namespace: {@code prefix:part:part}. */
  public String key(String... parts) {
    return settings.prefix() + ":" + String.join(":", parts);
  }

  public FleetSettings settings() {
    return settings;
  }

  /** Runs {@code action} (on the sync thread) each time Redis answers again after being down. */
  void onRecovery(Runnable action) {
    this.onRecovery = action;
  }

  /**
   * While down, asks Redis whether it answers again (called from the sync thread only, so request
   * threads never wait for a dead Redis); on the first answer marks it up and runs the recovery
   * action (catching up).
   */
  void probe() {
    long now = clock.millis();
    if (up || now - lastProbeMillis < PROBE_EVERY_MILLIS) {
      return;
    }
    lastProbeMillis = now;
    try {
      background.ping();
    } catch (RuntimeException e) {
      return;
    }
    up = true;
    LOG.warn("redis at {} answers again: sharing state with the fleet", settings.displayUrl());
    onRecovery.run();
  }

  /** A dedicated connection for a subscription, whose reads may wait {@code readTimeoutMillis}. */
  Jedis subscriberConnection(int readTimeoutMillis) {
    return new Jedis(settings.hostAndPort(), clientConfig(settings, readTimeoutMillis));
  }

  private void fallback(String operation, Exception cause) {
    fallbackPoints.computeIfAbsent(operation, op -> fallbacks.labelValues(op)).inc();
    long now = clock.millis();
    long last = lastLogMillis.get();
    if (now - last >= LOG_INTERVAL_MILLIS && lastLogMillis.compareAndSet(last, now)) {
      LOG.error(
          "redis at {} unavailable ({}): using this replica's local state; see gateway_redis_fallbacks_total",
          settings.displayUrl(),
          cause == null ? "marked down after an earlier failure" : brief(cause));
    }
  }

  /** The exception's type and message, which Jedis never fills with the password. */
  private static String brief(Exception e) {
    Throwable root = e.getCause() != null ? e.getCause() : e;
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  /** Jedis checks the certificate's chain but, unless told, not that it names the host. */
  private static SSLParameters verifyHostName() {
    SSLParameters p = new SSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    return p;
  }

  private static GenericObjectPoolConfig<Connection> poolConfig(int size, Duration maxWait) {
    GenericObjectPoolConfig<Connection> config = new GenericObjectPoolConfig<>();
    config.setMaxTotal(size);
    config.setMaxIdle(size);
    config.setMinIdle(0);
    config.setBlockWhenExhausted(true);
    config.setMaxWait(maxWait);
    config.setJmxEnabled(false); // a web app must not leave MBeans behind on undeploy
    return config;
  }

  private static JedisClientConfig clientConfig(FleetSettings settings, int socketTimeoutMillis) {
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
            .socketTimeoutMillis(socketTimeoutMillis)
            .database(settings.database())
            .ssl(settings.tls())
            .sslSocketFactory(
                settings.tls()
                    ? ExtraTrust.context(settings.extraTrust()).getSocketFactory()
                    : null)
            .sslParameters(settings.tls() ? verifyHostName() : null)
            .clientName("llm-gateway-" + settings.replicaId());
    settings.user().ifPresent(b::user);
    settings.passwordValue().ifPresent(b::password);
    return b.build();
  }

  @Override
  public void close() {
    pool.close();
    background.close();
  }
}
