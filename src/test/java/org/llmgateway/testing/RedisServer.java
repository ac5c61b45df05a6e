package org.llmgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.llmgateway.config.ExtraTrust;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} (Debian's package, installed by src/scripts/test-deps.sh) on
 * 127.0.0.1 and a free port, without persistence, in its own temporary directory. {@link #kill()}
 * stops it hard (as a crash would) and {@link #restart()} brings it back on the same port, empty.
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final int port;
  private final Path dir;
  private final Optional<String> password;
  private final Optional<TestPki> tls;
  private Process process;
  private volatile String lastProblem = "";

  private RedisServer(int port, Path dir, Optional<String> password, Optional<TestPki> tls) {
    this.port = port;
    this.dir = dir;
    this.password = password;
    this.tls = tls;
  }

  /** Starts a server on a free port. */
  public static RedisServer onFreePort() {
    return start(Optional.empty(), Optional.empty());
  }

  /** Starts a server on a free port that requires {@code password} ({@code requirepass}). */
  public static RedisServer withPassword(String password) {
    return start(Optional.of(password), Optional.empty());
  }

  /**
   * Starts a server on a free port that speaks only TLS, with a certificate for 127.0.0.1 issued by
   * {@code ca}.
   */
  public static RedisServer withTls(TestPki ca) {
    return start(Optional.empty(), Optional.of(ca));
  }

  private static RedisServer start(Optional<String> password, Optional<TestPki> tls) {
    try {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path dir = Files.createTempDirectory("gw-redis");
      tls.ifPresent(
          ca ->
              TestPki.writeLeafPem(
                  ca.leaf("127.0.0.1"), dir.resolve("server.pem"), dir.resolve("server.key")));
      RedisServer server = new RedisServer(port, dir, password, tls);
      try {
        server.restart();
      } catch (RuntimeException | Error e) {
        server.close(); // a server that never answered leaves no process and no directory
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> command() {
    List<String> c = new ArrayList<>(List.of("redis-server", "--bind", "127.0.0.1"));
    if (tls.isPresent()) {
      c.addAll(
          List.of(
              "--port",
              "0",
              "--tls-port",
              Integer.toString(port),
              "--tls-cert-file",
              dir.resolve("server.pem").toString(),
              "--tls-key-file",
              dir.resolve("server.key").toString(),
              "--tls-auth-clients",
              "no"));
    } else {
      c.addAll(List.of("--port", Integer.toString(port)));
    }
    password.ifPresent(p -> c.addAll(List.of("--requirepass", p)));
    c.addAll(
        List.of(
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir.toString(),
            "--logfile",
            dir.resolve("redis.log").toString()));
    return c;
  }

  /** Starts (again, empty) on this server's port and waits until it answers. */
  public void restart() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process =
          new ProcessBuilder(command())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stdout.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start redis-server (install it: apt-get install -y redis-server)", e);
    }
    Await.until(
        START_TIMEOUT,
        "redis-server on port " + port + " answers",
        this::answers,
        () -> "redis.log: " + tail(dir.resolve("redis.log")) + lastProblem);
  }

  /** Ends the server at once (SIGKILL): connections break as in a crash. */
  public void kill() {
    if (process != null) {
      if (process.isAlive()) {
        signal("CONT"); // a frozen process dies only once it runs
      }
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops the process (SIGSTOP): connections stay open but nothing answers, as a hung Redis. */
  public void freeze() {
    signal("STOP");
  }

  /** Lets a frozen server go on (SIGCONT). */
  public void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The URL without the password: {@code redis://} or {@code rediss://}. */
  public String url() {
    return (tls.isPresent() ? "rediss" : "redis") + "://127.0.0.1:" + port;
  }

  /** A fresh client connection (with the password, over TLS), for tests that look into Redis. */
  public Jedis client() {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder();
    password.ifPresent(config::password);
    tls.ifPresent(
        ca ->
            config
                .ssl(true)
                .sslSocketFactory(ExtraTrust.context(List.of(ca.ca())).getSocketFactory()));
    return new Jedis(new HostAndPort("127.0.0.1", port), config.build());
  }

  private boolean answers() {
    try (Jedis j = client()) {
      return "PONG".equals(j.ping());
    } catch (RuntimeException e) {
      lastProblem = "; last client error: " + e;
      return false;
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() {
    kill();
    TempDirs.delete(dir);
  }
}
