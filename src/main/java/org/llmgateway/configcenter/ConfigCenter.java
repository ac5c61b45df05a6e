package org.llmgateway.configcenter;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.llmgateway.config.ConfigException;
import org.llmgateway.config.ConfigLoader;
import org.llmgateway.core.Gateway;

/**
 * The console's config center: read, edit and restore {@code providers.yaml} and {@code
 * models.yaml} in the config directory. A save (or restore) is checked against the hash of the
 * version the operator edited (optimistic locking), gets its masked secrets back ({@link
 * SecretMask}), is validated together with every other file of the directory before anything is
 * written, is written atomically, recorded in the {@link ConfigHistory} and applied at once through
 * {@link Gateway#reload()}. Saves are serialised; reads are not.
 */
public final class ConfigCenter {
  private static final Logger LOG = LogManager.getLogger(ConfigCenter.class);

  /** The files the console edits. */
  public static final List<String> FILES = List.of("providers.yaml", "models.yaml");

  /** The hash of a file that does not exist yet. */
  public static final String ABSENT = "absent";

  private final Gateway gateway;
  private final ConfigHistory history;

  /** A file as the editor gets it: text with secrets masked, the hash of the bytes on disk. */
  public record Opened(
      String name,
      boolean exists,
      String hash,
      String text,
      int hidden,
      Optional<Instant> modified,
      long size) {}

  /** Who saves: a name for the history, and the client address. */
  public record Operator(String name, String client) {}

  /**
   * A save that went through: the file's new hash, the recorded version, and the reload's outcome.
   */
  public record Saved(
      String name,
      boolean changed,
      String hash,
      Optional<ConfigHistory.Version> version,
      Gateway.Reload reload) {}

  /** The file changed since the operator opened it. */
  public static final class Conflict extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String currentHash;

    Conflict(String message, String currentHash) {
      super(message, null, false, false);
      this.currentHash = currentHash;
    }

    public String currentHash() {
      return currentHash;
    }
  }

  /**
   * The file or the history cannot be written (a read-only mount, permissions); nothing was
   * changed.
   */
  public static final class Unwritable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unwritable(String message) {
      super(message, null, false, false);
    }
  }

  /** The candidate directory does not validate; nothing was written. */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> errors;

    Rejected(List<String> errors) {
      super(errors.size() + " problem(s); nothing was saved", null, false, false);
      this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
      return errors;
    }
  }

  public ConfigCenter(Gateway gateway, ConfigHistory history) {
    this.gateway = gateway;
    this.history = history;
  }

  /** Whether files can be edited: only in directory mode ({@code GATEWAY_CONFIG_FILE} unset). */
  public boolean editable() {
    return gateway.settings().configFile().isEmpty();
  }

  public ConfigHistory history() {
    return history;
  }

  public Path directory() {
    return gateway.settings().configDir().toAbsolutePath().normalize();
  }

  /** Whether {@code name} is one of the {@link #FILES} and the config center is on. */
  public boolean knows(String name) {
    return editable() && FILES.contains(name);
  }

  /** The file {@code name} (one of {@link #FILES}) for the editor. */
  public Opened open(String name) {
    Path path = directory().resolve(name);
    Optional<String> raw = read(path);
    SecretMask.Masked masked = SecretMask.mask(raw.orElse(""));
    Optional<Instant> modified = Optional.empty();
    long size = 0;
    if (raw.isPresent()) {
      try {
        modified = Optional.of(Files.getLastModifiedTime(path).toInstant());
        size = Files.size(path);
      } catch (IOException e) {
        // shown without them
      }
    }
    return new Opened(
        name,
        raw.isPresent(),
        raw.map(ConfigCenter::sha256).orElse(ABSENT),
        masked.text(),
        masked.hidden(),
        modified,
        size);
  }

  /**
   * Saves {@code text} as {@code name}, if the file's hash is still {@code baseHash}. Throws {@link
   * Conflict} or {@link Rejected}, writing nothing; otherwise the file is written and reloaded.
   */
  public synchronized Saved save(
      String name, String text, String baseHash, Operator who, String action) {
    Path path = directory().resolve(name);
    Optional<String> current = read(path);
    String currentHash = current.map(ConfigCenter::sha256).orElse(ABSENT);
    if (!currentHash.equals(baseHash)) {
      String by =
          history.list(name).stream()
              .findFirst()
              .filter(v -> v.hash().equals(currentHash))
              .map(v -> " (saved by " + v.operator() + " at " + v.at() + ")")
              .orElse(" (edited outside the console)");
      throw new Conflict(
          name
              + " changed since you opened it"
              + by
              + "; reload it and apply your edit again. Nothing was saved.",
          currentHash);
    }
    SecretMask.Unmasked unmasked = SecretMask.unmask(text, current.orElse(""), name);
    String candidate = unmasked.text();
    if (current.isPresent() && current.get().equals(candidate)) {
      return new Saved(name, false, currentHash, Optional.empty(), gateway.reload());
    }
    List<String> problems = new ArrayList<>(unmasked.problems());
    problems.addAll(validate(path, candidate));
    if (!problems.isEmpty()) {
      throw new Rejected(problems);
    }
    history.prepare(name);
    recordOutsideEdit(name, current, currentHash);
    write(path, candidate);
    String hash = sha256(candidate);
    Optional<ConfigHistory.Version> version = Optional.empty();
    try {
      version =
          Optional.of(
              history.add(
                  name, SecretMask.mask(candidate).text(), who.name(), who.client(), action, hash));
    } catch (UncheckedIOException e) {
      // the file is written: apply it all the same, and say why its version is missing
      LOG.error("console: {} saved but not recorded in the history: {}", name, e.getMessage());
    }
    LOG.info(
        "console: {} {} by {} from {} (version {}, hash {})",
        action,
        name,
        who.name(),
        who.client(),
        version.map(ConfigHistory.Version::id).orElse("not recorded"),
        hash.substring(0, 12));
    Gateway.Reload reload = gateway.reload();
    return new Saved(name, true, hash, version, reload);
  }

  /** Saves the text of version {@code id} of {@code name} back, like an edit (same checks). */
  public Saved restore(String name, ConfigHistory.Version version, String baseHash, Operator who) {
    return save(name, history.text(version), baseHash, who, "restore " + version.id());
  }

  /**
   * A unified diff from version {@code v} to the current file, both masked; empty when they are the
   * same.
   */
  public List<String> diff(String name, ConfigHistory.Version v) {
    List<String> from = lines(history.text(v));
    List<String> to = lines(open(name).text());
    Patch<String> patch = DiffUtils.diff(from, to);
    if (patch.getDeltas().isEmpty()) {
      return List.of();
    }
    return UnifiedDiffUtils.generateUnifiedDiff(
        name + " @ " + v.id(), name + " (current)", from, patch, 3);
  }

  /**
   * Every problem of the directory with {@code candidate} in place of the file at {@code path};
   * file names relative.
   */
  private List<String> validate(Path path, String candidate) {
    ConfigLoader loader =
        new ConfigLoader(gateway.settings().env()).withOverlay(Map.of(path, candidate));
    try {
      loader.loadDirectory(directory());
      return List.of();
    } catch (ConfigException e) {
      List<String> errors = new ArrayList<>();
      String prefix = directory() + "/";
      for (String error : e.errors()) {
        errors.add(error.startsWith(prefix) ? error.substring(prefix.length()) : error);
      }
      return errors;
    }
  }

  /**
   * The first console save of a file, or one after an edit on disk, first records what it replaces.
   */
  private void recordOutsideEdit(String name, Optional<String> current, String currentHash) {
    if (current.isEmpty()) {
      return;
    }
    List<ConfigHistory.Version> versions = history.list(name);
    if (versions.isEmpty() || !versions.getFirst().hash().equals(currentHash)) {
      history.add(
          name,
          SecretMask.mask(current.get()).text(),
          "(file on disk)",
          "",
          versions.isEmpty() ? "found before the first console save" : "edited outside the console",
          currentHash);
    }
  }

  private static Optional<String> read(Path path) {
    try {
      return Files.isRegularFile(path)
          ? Optional.of(Files.readString(path, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes through a temporary file and an atomic rename, keeping the old file's permissions and
   * symlink.
   */
  private static void write(Path path, String text) {
    try {
      Path target = Files.isSymbolicLink(path) ? path.toRealPath() : path;
      Path tmp = target.resolveSibling("." + target.getFileName() + ".console.tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      if (Files.exists(target)) {
        try {
          Set<PosixFilePermission> perms =
              Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS);
          Files.setPosixFilePermissions(tmp, perms);
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the default permissions
        }
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new Unwritable(
          "cannot write "
              + path.getFileName()
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); nothing was changed. Is the config directory mounted read-only?");
    }
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
