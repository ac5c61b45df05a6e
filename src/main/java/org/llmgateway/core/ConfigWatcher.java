package org.llmgateway.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Hot reload: a {@link WatchService} on the config directory and on the directories of included
 * files (debounced), plus a poll every {@code GATEWAY_RELOAD_INTERVAL_SEC} comparing a content
 * hash, for mounts where watching misses changes (Kubernetes ConfigMaps swap a symlink). Either one
 * calls {@link Gateway#reload()}, which keeps the last good configuration when the new one is
 * broken. One virtual thread; {@link #close()} stops it.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(ConfigWatcher.class);
  private static final long DEBOUNCE_MS = 150;
  private static final long JOIN_TIMEOUT_MS = 2_000;
  private static final long WAIT_WITHOUT_POLLING_MS = 1000;
  private static final byte[] UNREADABLE_MARK = {1};

  private final Gateway gateway;
  private final WatchService watch;
  private final Thread thread;
  private volatile boolean running = true;
  private Fingerprint last;

  /**
   * What the configuration files look like now: a hash of their names and contents, or why they
   * could not be read (the directory is gone or unreadable). Two fingerprints differ when either
   * differs, so a directory that disappears or comes back triggers a reload, which reports the
   * problem and keeps the last good configuration.
   */
  record Fingerprint(String hash, Optional<String> problem) {}

  private ConfigWatcher(Gateway gateway, WatchService watch) {
    this.gateway = gateway;
    this.watch = watch;
    this.last = fingerprint();
    this.thread = Thread.ofVirtual().name("config-watcher").start(this::run);
  }

  public static ConfigWatcher start(Gateway gateway) {
    WatchService watch = null;
    try {
      watch = FileSystems.getDefault().newWatchService();
      for (Path dir : directories(gateway)) {
        dir.register(
            watch,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    } catch (IOException e) {
      LOG.warn(
          "config directory cannot be watched ({}); relying on polling every {} s",
          e.getMessage(),
          gateway.settings().reloadIntervalSec());
    }
    return new ConfigWatcher(gateway, watch);
  }

  private static Set<Path> directories(Gateway gateway) {
    Set<Path> dirs = new LinkedHashSet<>();
    Path base =
        gateway
            .settings()
            .configFile()
            .map(f -> f.toAbsolutePath().getParent())
            .orElse(gateway.settings().configDir().toAbsolutePath());
    dirs.add(base);
    gateway
        .snapshot()
        .ifPresent(
            s -> s.config().sources().forEach(p -> dirs.add(p.toAbsolutePath().getParent())));
    return dirs;
  }

  private void run() {
    long interval = Math.max(1, gateway.settings().reloadIntervalSec()) * 1000L;
    boolean poll = gateway.settings().reloadIntervalSec() > 0;
    long nextPoll = System.currentTimeMillis() + interval;
    while (running) {
      try {
        boolean changed = false;
        long wait = Math.max(1, nextPoll - System.currentTimeMillis());
        if (watch != null) {
          var key = watch.poll(poll ? wait : WAIT_WITHOUT_POLLING_MS, TimeUnit.MILLISECONDS);
          if (key != null) {
            key.pollEvents();
            key.reset();
            // editors and config management write in several steps: wait for the burst to end
            Thread.sleep(DEBOUNCE_MS);
            var more = watch.poll();
            while (more != null) {
              more.pollEvents();
              more.reset();
              more = watch.poll();
            }
            changed = true;
          }
        } else {
          Thread.sleep(poll ? wait : WAIT_WITHOUT_POLLING_MS);
        }
        if (!changed && poll && System.currentTimeMillis() >= nextPoll) {
          nextPoll = System.currentTimeMillis() + interval;
          changed = !fingerprint().equals(last);
        }
        if (changed && running) {
          Fingerprint now = fingerprint();
          if (now.problem().isPresent() && !now.problem().equals(last.problem())) {
            LOG.warn(
                "config files cannot be read: {}; the active configuration keeps serving",
                now.problem().get());
          }
          last = now;
          gateway.reload();
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("config watcher failed; retrying", e);
      }
    }
  }

  private Fingerprint fingerprint() {
    List<Path> sources = gateway.snapshot().map(snap -> snap.config().sources()).orElse(List.of());
    return fingerprint(gateway.settings().configDir(), gateway.settings().configFile(), sources);
  }

  /**
   * SHA-256 over the names and contents of the YAML files the gateway reads: those in {@code dir}
   * (unless one {@code file} is configured instead) and every file the active configuration was
   * loaded from (includes).
   */
  static Fingerprint fingerprint(Path dir, Optional<Path> file, List<Path> sources) {
    MessageDigest sha = sha256();
    Set<Path> files = new LinkedHashSet<>();
    Optional<String> problem = Optional.empty();
    if (file.isEmpty()) {
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        problem = Optional.of(describe(dir, e));
      }
    }
    file.ifPresent(files::add);
    files.addAll(sources);
    for (Path p : files) {
      sha.update(p.toString().getBytes(StandardCharsets.UTF_8));
      try {
        sha.update(Files.readAllBytes(p));
      } catch (IOException e) {
        // an unreadable file is a change like any other: the reload that follows names the problem
        sha.update(UNREADABLE_MARK);
        problem = problem.or(() -> Optional.of(describe(p, e)));
      }
    }
    return new Fingerprint(HexFormat.of().formatHex(sha.digest()), problem);
  }

  private static String describe(Path path, IOException e) {
    String kind = e instanceof NoSuchFileException ? "missing" : e.getClass().getSimpleName();
    return path.toAbsolutePath() + " (" + kind + ")";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    if (watch != null) {
      try {
        watch.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    try {
      thread.join(JOIN_TIMEOUT_MS); // a web app's undeploy must not leave the thread behind
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
