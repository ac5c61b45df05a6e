package org.llmgateway.configcenter;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.llmgateway.observe.ViewJson;

/**
 * The saved versions of each editable config file, in {@code <dir>/<file name>/}: per version
 * {@code <id>.yaml} (the text with inline secrets masked, so no secret is copied out of the config
 * directory) and {@code <id>.json} (when, who, what). Ids sort by time. The newest {@link #KEEP}
 * versions per file are kept. Callers serialise writes.
 */
public final class ConfigHistory {
  /** Versions kept per file; older ones are deleted when a new one is added. */
  public static final int KEEP = 200;

  private static final Pattern ID = Pattern.compile("[0-9]{13}-[0-9]{4}");

  private final Path dir;
  private final Clock clock;
  private long lastMillis;
  private int sequence;

  /** One version: {@code hash} is the SHA-256 of the file as written (secrets included). */
  public record Version(
      String id,
      String file,
      Instant at,
      String operator,
      String client,
      String action,
      String hash,
      int size) {}

  public ConfigHistory(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Makes sure versions of {@code file} can be written, before the file itself is: throws {@link
   * ConfigCenter.Unwritable} naming the directory otherwise.
   */
  public void prepare(String file) {
    try {
      Path folder = Files.createDirectories(dir.resolve(file));
      Path probe = Files.createTempFile(folder, ".probe", ".tmp");
      Files.delete(probe);
    } catch (IOException | UnsupportedOperationException e) {
      throw new ConfigCenter.Unwritable(
          "cannot write the config history in "
              + dir
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); nothing was changed. Set GATEWAY_CONFIG_HISTORY_DIR to a writable directory.");
    }
  }

  /** Records {@code maskedText} as the newest version of {@code file}. */
  public Version add(
      String file, String maskedText, String operator, String client, String action, String hash) {
    Instant at = clock.instant();
    Version v =
        new Version(
            nextId(at.toEpochMilli()),
            file,
            at,
            operator,
            client,
            action,
            hash,
            maskedText.getBytes(StandardCharsets.UTF_8).length);
    try {
      Path folder = Files.createDirectories(dir.resolve(file));
      write(folder.resolve(v.id() + ".yaml"), maskedText.getBytes(StandardCharsets.UTF_8));
      write(folder.resolve(v.id() + ".json"), ViewJson.MAPPER.writeValueAsBytes(v));
      List<Version> all = list(file);
      for (Version old : all.subList(Math.min(KEEP, all.size()), all.size())) {
        Files.deleteIfExists(folder.resolve(old.id() + ".yaml"));
        Files.deleteIfExists(folder.resolve(old.id() + ".json"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the config history in " + dir + ": " + e.getMessage(), e);
    }
    return v;
  }

  /** The versions of {@code file}, newest first. */
  public List<Version> list(String file) {
    Path folder = dir.resolve(file);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<Version> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        try {
          out.add(ViewJson.MAPPER.readValue(p.toFile(), new TypeReference<Version>() {}));
        } catch (IOException e) {
          // a half-written or foreign file: not a version
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the config history in " + folder + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(Version::id).reversed());
    return out;
  }

  /** One version's metadata, or empty when {@code id} is not a version of {@code file}. */
  public Optional<Version> find(String file, String id) {
    if (!ID.matcher(id).matches()) {
      return Optional.empty();
    }
    return list(file).stream().filter(v -> v.id().equals(id)).findFirst();
  }

  /** The masked text of a version found by {@link #find}. */
  public String text(Version v) {
    try {
      return Files.readString(
          dir.resolve(v.file()).resolve(v.id() + ".yaml"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read config version " + v.id() + ": " + e.getMessage(), e);
    }
  }

  private String nextId(long millis) {
    if (millis == lastMillis) {
      sequence++;
    } else {
      lastMillis = millis;
      sequence = 0;
    }
    return String.format("%013d-%04d", millis, sequence);
  }

  private static void write(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
