package org.llmgateway.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.llmgateway.routing.KeyPool;

/**
 * Keeps {@link Stats} and the key pool's cooldowns and counters across restarts in one JSON file
 * ({@code GATEWAY_STATS_SNAPSHOT_PATH}): {@link #load()} once at start, then {@link #start()}
 * writes it every {@code interval} on a virtual thread and {@link #close()} writes it a last time.
 * Each write goes to a temporary file in the same directory that is then moved over the old one
 * atomically, so a crash never leaves half a file.
 */
public final class StatsFile implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(StatsFile.class);

  private final Path path;
  private final Stats stats;
  private final KeyPool keys;
  private final Clock clock;
  private final Duration interval;
  private volatile Thread thread;

  /** One provider key's persisted state; {@code coolingUntil} is 0 when the key was not cooling. */
  public record SavedKey(
      String provider,
      String keyId,
      long coolingUntil,
      String reason,
      long successes,
      long failures,
      long cooldowns) {}

  /** The file's content. */
  public record Content(int version, long savedAt, Stats.Saved stats, List<SavedKey> keys) {}

  public StatsFile(Path path, Stats stats, KeyPool keys, Clock clock, Duration interval) {
    this.path = path;
    this.stats = stats;
    this.keys = keys;
    this.clock = clock;
    this.interval = interval;
  }

  /**
   * Restores what the file holds; a missing file is a first start, an unreadable one is logged and
   * skipped.
   */
  public void load() {
    Content content;
    try {
      content = ViewJson.MAPPER.readValue(Files.readAllBytes(path), Content.class);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException | RuntimeException e) {
      LOG.warn("stats snapshot {} unreadable, starting with empty stats: {}", path, e.getMessage());
      return;
    }
    if (content.stats() != null) {
      stats.restore(content.stats());
    }
    long now = clock.millis();
    int cooling = 0;
    for (SavedKey k : content.keys() == null ? List.<SavedKey>of() : content.keys()) {
      long until = k.coolingUntil() > now ? k.coolingUntil() : 0;
      cooling += until > 0 ? 1 : 0;
      keys.restore(
          k.provider(),
          k.keyId(),
          until,
          until > 0 && k.reason() != null ? k.reason() : "",
          k.successes(),
          k.failures(),
          k.cooldowns());
    }
    LOG.info(
        "stats snapshot restored from {}: requests={} keys={} cooling={}",
        path,
        stats.allTime().requests(),
        content.keys() == null ? 0 : content.keys().size(),
        cooling);
  }

  /** Writes the file now (atomically). */
  public void save() throws IOException {
    List<SavedKey> saved = new ArrayList<>();
    for (KeyPool.Entry e : keys.entries()) {
      var v = e.view();
      saved.add(
          new SavedKey(
              e.provider(),
              e.keyId(),
              v.coolingUntil().map(Instant::toEpochMilli).orElse(0L),
              v.reason(),
              v.successes(),
              v.failures(),
              v.cooldowns()));
    }
    byte[] bytes =
        ViewJson.MAPPER.writeValueAsBytes(new Content(1, clock.millis(), stats.save(), saved));
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Starts the periodic writer. */
  public void start() {
    thread = Thread.ofVirtual().name("stats-snapshot").start(this::run);
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      saveLogged();
    }
  }

  private void saveLogged() {
    try {
      save();
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot write stats snapshot {}: {}", path, e.toString());
    }
  }

  /** Stops the periodic writer and writes the file a last time. */
  @Override
  public void close() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    saveLogged();
  }
}
