package org.llmgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
  private Process process;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  /** Starts a server on a free port. */
  public static RedisServer onFreePort() {
    try {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      RedisServer server = new RedisServer(port, Files.createTempDirectory("gw-redis"));
      server.restart();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts (again, empty) on this server's port and waits until it answers. */
  public void restart() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      "redis-server",
                      "--port",
                      Integer.toString(port),
                      "--bind",
                      "127.0.0.1",
                      "--save",
                      "",
                      "--appendonly",
                      "no",
                      "--dir",
                      dir.toString(),
                      "--logfile",
                      dir.resolve("redis.log").toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("stdout.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start redis-server (install it: apt-get install -y redis-server)", e);
    }
    Await.until(START_TIMEOUT, "redis-server on port " + port + " answers", this::answers);
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

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** A fresh client connection, for tests that look into Redis. */
  public Jedis client() {
    return new Jedis("127.0.0.1", port);
  }

  private boolean answers() {
    try (Jedis j = client()) {
      return "PONG".equals(j.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    kill();
    TempDirs.delete(dir);
  }
}
