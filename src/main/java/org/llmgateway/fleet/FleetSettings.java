package org.llmgateway.fleet;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.llmgateway.config.Secret;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * How this replica reaches the fleet's Redis ({@code GATEWAY_REDIS_*}). The password comes from the
 * URL's user-info or from {@code GATEWAY_REDIS_PASSWORD}; it is held as a {@link Secret} and {@link
 * #toString()} and {@link #displayUrl()} never show it.
 *
 * @param url the {@code redis://} or {@code rediss://} URL as given (may hold the password)
 * @param password overrides the URL's password when present
 * @param timeout the budget of one command on a request thread; past it the gateway uses local
 *     state
 * @param connectTimeout the budget of opening a connection
 * @param replicaId this replica's name in the fleet (events it publishes carry it; it ignores its
 *     own)
 * @param prefix the namespace of every Redis key and channel, so fleets can share one Redis
 * @param extraTrust CAs trusted for {@code rediss://} beside the JDK's ({@code
 *     GATEWAY_REDIS_CA_FILE}, else {@code GATEWAY_CA_FILE})
 */
public record FleetSettings(
    URI url,
    Optional<Secret> password,
    Duration timeout,
    Duration connectTimeout,
    String replicaId,
    String prefix,
    List<X509Certificate> extraTrust) {

  /**
   * Checks a {@code GATEWAY_REDIS_URL} value; returns the problem, empty when it is usable. Never
   * echoes the URL (it may hold a password).
   */
  public static Optional<String> problem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      return Optional.of("is not a valid URL");
    }
    if (!JedisURIHelper.isRedisScheme(uri) && !JedisURIHelper.isRedisSSLScheme(uri)) {
      return Optional.of("must start with redis:// or rediss://");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      return Optional.of("has no host");
    }
    try {
      JedisURIHelper.getDBIndex(uri);
    } catch (RuntimeException e) {
      return Optional.of("has a database path that is not a number");
    }
    return Optional.empty();
  }

  HostAndPort hostAndPort() {
    return new HostAndPort(url.getHost(), url.getPort() > 0 ? url.getPort() : DEFAULT_PORT);
  }

  /** Whether the URL is {@code rediss://}. */
  public boolean tls() {
    return JedisURIHelper.isRedisSSLScheme(url);
  }

  int database() {
    return JedisURIHelper.getDBIndex(url);
  }

  Optional<String> user() {
    return Optional.ofNullable(JedisURIHelper.getUser(url)).filter(u -> !u.isEmpty());
  }

  Optional<String> passwordValue() {
    return password
        .map(Secret::reveal)
        .or(() -> Optional.ofNullable(JedisURIHelper.getPassword(url)))
        .filter(p -> !p.isEmpty());
  }

  /** The URL without user-info: what logs and views show. */
  public String displayUrl() {
    return url.getScheme() + "://" + hostAndPort() + "/" + database();
  }

  @Override
  public String toString() {
    return "FleetSettings[url="
        + displayUrl()
        + ", timeout="
        + timeout.toMillis()
        + "ms, replicaId="
        + replicaId
        + ", prefix="
        + prefix
        + "]";
  }

  private static final int DEFAULT_PORT = 6379;
}
