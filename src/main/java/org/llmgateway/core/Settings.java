package org.llmgateway.core;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.llmgateway.config.PemCertificates;
import org.llmgateway.config.Secret;
import org.llmgateway.fleet.FleetSettings;
import org.llmgateway.routing.BreakerPolicy;

/**
 * Process settings, read once at start from {@code GATEWAY_*} names. {@code lookup} decides the
 * source (environment, system properties, servlet init-params); see {@link #fromSources}.
 */
public record Settings(
    String host,
    int port,
    Path configDir,
    Optional<Path> configFile,
    Path logDir,
    int reloadIntervalSec,
    int keyCooldownSec,
    Duration keyWait,
    BreakerPolicy breaker,
    boolean exposeSelection,
    boolean authEnabled,
    Optional<String> adminToken,
    int shutdownGraceSec,
    int maxAttempts,
    Duration requestTimeout,
    long maxBodyBytes,
    boolean logBodies,
    int logBodyMaxBytes,
    Optional<Path> statsSnapshotPath,
    Optional<FleetSettings> fleet,
    Function<String, String> env) {

  /** A Redis command's budget on a request thread: past it the gateway uses its local state. */
  static final int DEFAULT_REDIS_TIMEOUT_MS = 10;

  static final int DEFAULT_REDIS_CONNECT_TIMEOUT_MS = 200;

  /** Reads every setting; throws {@link IllegalArgumentException} listing every bad value. */
  public static Settings from(Function<String, String> lookup) {
    List<String> errors = new ArrayList<>();
    Reader r = new Reader(lookup, errors);
    Settings s =
        new Settings(
            r.string("GATEWAY_HOST", "0.0.0.0"),
            r.integer("GATEWAY_PORT", 13030, 0, 65535),
            Path.of(r.string("GATEWAY_CONFIG_DIR", "configs")),
            r.optional("GATEWAY_CONFIG_FILE").map(Path::of),
            Path.of(r.string("GATEWAY_LOG_DIR", "logs")),
            r.integer("GATEWAY_RELOAD_INTERVAL_SEC", 5, 0, 86_400),
            r.integer("GATEWAY_KEY_COOLDOWN_SEC", 600, 0, 86_400 * 7),
            Duration.ofMillis(r.integer("GATEWAY_KEY_COOLDOWN_WAIT_MS", 5_000, 0, 600_000)),
            breaker(r),
            r.flag("GATEWAY_EXPOSE_SELECTION", false),
            r.flag("GATEWAY_AUTH_ENABLED", false),
            r.optional("GATEWAY_ADMIN_TOKEN"),
            r.integer("GATEWAY_SHUTDOWN_GRACE_SEC", 30, 0, 3600),
            r.integer("GATEWAY_MAX_ATTEMPTS", 16, 1, 1000),
            Duration.ofMillis(
                r.integer("GATEWAY_REQUEST_TIMEOUT_MS", 600_000, 1, Integer.MAX_VALUE)),
            r.integer("GATEWAY_MAX_BODY_BYTES", 10 * 1024 * 1024, 1024, Integer.MAX_VALUE - 16),
            r.flag("GATEWAY_LOG_BODIES", true),
            r.integer("GATEWAY_LOG_BODY_MAX_BYTES", 64 * 1024, 0, 64 * 1024 * 1024),
            r.optional("GATEWAY_STATS_SNAPSHOT_PATH").map(Path::of),
            fleet(r),
            lookup);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid settings:\n  " + String.join("\n  ", errors));
    }
    return s;
  }

  /** Shared state through Redis, when {@code GATEWAY_REDIS_URL} is set. */
  private static Optional<FleetSettings> fleet(Reader r) {
    Optional<String> url = r.optional("GATEWAY_REDIS_URL");
    int timeoutMs = r.integer("GATEWAY_REDIS_TIMEOUT_MS", DEFAULT_REDIS_TIMEOUT_MS, 1, 60_000);
    int connectMs =
        r.integer("GATEWAY_REDIS_CONNECT_TIMEOUT_MS", DEFAULT_REDIS_CONNECT_TIMEOUT_MS, 1, 60_000);
    String prefix = r.string("GATEWAY_REDIS_PREFIX", "llmgw");
    Optional<Secret> password = r.optional("GATEWAY_REDIS_PASSWORD").map(Secret::new);
    if (url.isEmpty()) {
      return Optional.empty();
    }
    // the default asks the resolver for the host name: only when Redis is used at all
    String replica = r.optional("GATEWAY_REPLICA_ID").orElseGet(Settings::defaultReplicaId);
    Optional<String> problem = FleetSettings.problem(url.get());
    if (problem.isPresent()) {
      r.errors().add("GATEWAY_REDIS_URL: " + problem.get());
      return Optional.empty();
    }
    if (!replica.matches("[A-Za-z0-9._:-]{1,64}")) {
      r.errors()
          .add(
              "GATEWAY_REPLICA_ID: 1 to 64 letters, digits, '.', '_', ':' or '-', got a bad value");
      return Optional.empty();
    }
    URI uri = URI.create(url.get());
    List<X509Certificate> trust = List.of();
    Optional<String> caFile = r.optional("GATEWAY_REDIS_CA_FILE");
    String caSetting = "GATEWAY_REDIS_CA_FILE";
    if (caFile.isEmpty()) {
      caFile = r.optional("GATEWAY_CA_FILE");
      caSetting = "GATEWAY_CA_FILE";
    }
    if (caFile.isPresent() && uri.getScheme().equalsIgnoreCase("rediss")) {
      String setting = caSetting;
      trust =
          PemCertificates.read(
              Path.of(caFile.get()).toAbsolutePath().normalize(),
              message -> r.errors().add(setting + ": " + message));
    }
    return Optional.of(
        new FleetSettings(
            uri,
            password,
            Duration.ofMillis(timeoutMs),
            Duration.ofMillis(connectMs),
            replica,
            prefix,
            trust));
  }

  /** Host name and process id: unique per process on a machine and readable in views. */
  private static String defaultReplicaId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "replica";
    }
    String id = host.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + ProcessHandle.current().pid();
    return id.length() > 64 ? id.substring(id.length() - 64) : id;
  }

  private static BreakerPolicy breaker(Reader r) {
    BreakerPolicy d = BreakerPolicy.DEFAULT;
    boolean enabled = r.flag("GATEWAY_BREAKER_ENABLED", d.enabled());
    int window = r.integer("GATEWAY_BREAKER_WINDOW_SEC", (int) d.window().toSeconds(), 1, 3600);
    int minAttempts = r.integer("GATEWAY_BREAKER_MIN_ATTEMPTS", d.minAttempts(), 1, 1_000_000);
    int rate = r.integer("GATEWAY_BREAKER_FAILURE_RATE", d.failureRatePercent(), 1, 100);
    int consecutive =
        r.integer("GATEWAY_BREAKER_CONSECUTIVE_FAILURES", d.consecutiveFailures(), 1, 1_000_000);
    int openSec = r.integer("GATEWAY_BREAKER_OPEN_SEC", (int) d.openFor().toSeconds(), 1, 86_400);
    int maxOpenSec =
        r.integer("GATEWAY_BREAKER_MAX_OPEN_SEC", (int) d.maxOpenFor().toSeconds(), 1, 86_400);
    int probes = r.integer("GATEWAY_BREAKER_HALF_OPEN_PROBES", d.halfOpenProbes(), 1, 1000);
    if (maxOpenSec < openSec) {
      r.errors()
          .add(
              "GATEWAY_BREAKER_MAX_OPEN_SEC: must be at least GATEWAY_BREAKER_OPEN_SEC ("
                  + openSec
                  + "), got "
                  + maxOpenSec);
      maxOpenSec = openSec;
    }
    return new BreakerPolicy(
        enabled,
        Duration.ofSeconds(window),
        minAttempts,
        rate,
        consecutive,
        Duration.ofSeconds(openSec),
        Duration.ofSeconds(maxOpenSec),
        probes);
  }

  /**
   * The first source that has a name wins: the embedded jar passes (system property, environment);
   * the WAR passes (system property, environment, context init-param).
   */
  @SafeVarargs
  public static Function<String, String> fromSources(Function<String, String>... sources) {
    return name -> {
      for (Function<String, String> source : sources) {
        String v = source.apply(name);
        if (v != null) {
          return v;
        }
      }
      return null;
    };
  }

  public static Settings fromEnvironment() {
    return from(fromSources(System::getProperty, System::getenv));
  }

  private record Reader(Function<String, String> lookup, List<String> errors) {
    Optional<String> optional(String name) {
      String v = lookup.apply(name);
      return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    String string(String name, String dflt) {
      return optional(name).orElse(dflt);
    }

    int integer(String name, int dflt, int min, int max) {
      Optional<String> v = optional(name);
      if (v.isEmpty()) {
        return dflt;
      }
      try {
        int n = Integer.parseInt(v.get());
        if (n < min || n > max) {
          errors.add(name + ": must be between " + min + " and " + max + ", got " + n);
          return dflt;
        }
        return n;
      } catch (NumberFormatException e) {
        errors.add(name + ": must be a whole number, got \"" + v.get() + "\"");
        return dflt;
      }
    }

    boolean flag(String name, boolean dflt) {
      Optional<String> v = optional(name);
      if (v.isEmpty()) {
        return dflt;
      }
      switch (v.get().toLowerCase(Locale.ROOT)) {
        case "1", "true", "yes", "on" -> {
          return true;
        }
        case "0", "false", "no", "off" -> {
          return false;
        }
        default -> {
          errors.add(name + ": must be true/false/1/0, got \"" + v.get() + "\"");
          return dflt;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Settings[host="
        + host
        + ", port="
        + port
        + ", configDir="
        + configDir
        + ", configFile="
        + configFile
        + ", logDir="
        + logDir
        + ", authEnabled="
        + authEnabled
        + ", adminToken="
        + adminToken.map(t -> "***").orElse("unset")
        + ", fleet="
        + fleet.map(FleetSettings::toString).orElse("off")
        + "]";
  }
}
