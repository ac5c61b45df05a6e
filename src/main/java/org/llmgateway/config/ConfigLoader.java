package org.llmgateway.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a configuration directory (every {@code *.yaml}/{@code *.yml} directly in it, sorted by
 * name) or one file, follows top-level {@code include:} lists (paths relative to the including
 * file, each file read once), merges ({@code providers} and {@code models} by entry name, a later
 * file replacing the whole entry; {@code gateway_keys} concatenated) and validates. Thread-safe and
 * stateless; {@code env} resolves {@code value_env}.
 */
public final class ConfigLoader {
  private static final Set<String> TOP_LEVEL =
      Set.of("version", "include", "providers", "models", "gateway_keys");

  private final Function<String, String> env;

  /**
   * Files read from here instead of the disk (absolute, normalised paths): a candidate checked
   * before it is saved.
   */
  private final Map<Path, String> overlay;

  public ConfigLoader(Function<String, String> env) {
    this(env, Map.of());
  }

  private ConfigLoader(Function<String, String> env, Map<Path, String> overlay) {
    this.env = env;
    this.overlay = overlay;
  }

  /**
   * A loader that sees {@code files} (path to text) as if they were on disk, in place of or beside
   * the real files: validating the whole directory with an edited file before writing it.
   */
  public ConfigLoader withOverlay(Map<Path, String> files) {
    Map<Path, String> normalised = new LinkedHashMap<>();
    files.forEach((path, text) -> normalised.put(path.toAbsolutePath().normalize(), text));
    return new ConfigLoader(env, Map.copyOf(normalised));
  }

  /**
   * Loads every YAML file directly in {@code dir}; throws {@link ConfigException} listing every
   * problem.
   */
  public GatewayConfig loadDirectory(Path dir) {
    Problems problems = new Problems();
    List<Path> roots = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      problems.add(dir.toString(), "", "config directory does not exist");
      problems.throwIfAny();
    }
    try (Stream<Path> files = Files.list(dir)) {
      files
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return (n.endsWith(".yaml") || n.endsWith(".yml"))
                    && !n.startsWith(".")
                    && Files.isRegularFile(p);
              })
          .forEach(roots::add);
    } catch (IOException e) {
      problems.add(dir.toString(), "", "cannot list directory: " + e.getMessage());
    }
    Path absolute = dir.toAbsolutePath().normalize();
    for (Path extra : overlay.keySet()) {
      if (absolute.equals(extra.getParent())
          && roots.stream().noneMatch(r -> r.toAbsolutePath().normalize().equals(extra))) {
        roots.add(dir.resolve(extra.getFileName()));
      }
    }
    roots.sort(null);
    if (roots.isEmpty() && problems.isEmpty()) {
      problems.add(dir.toString(), "", "no *.yaml or *.yml files in the config directory");
    }
    return load(roots, problems);
  }

  /** Loads exactly one file (and what it includes). */
  public GatewayConfig loadFile(Path file) {
    return load(List.of(file), new Problems());
  }

  private GatewayConfig load(List<Path> roots, Problems problems) {
    List<Document> documents = new ArrayList<>();
    Set<Path> seen = new LinkedHashSet<>();
    boolean readable = problems.isEmpty();
    for (Path root : roots) {
      readable &= read(root.toAbsolutePath().normalize(), documents, seen, problems);
    }
    if (!readable) {
      // a file is missing or not YAML: checking the rest would only add "undefined provider" noise
      problems.throwIfAny();
    }

    Map<String, Entry> rawProviders = new LinkedHashMap<>();
    Map<String, Entry> rawModels = new LinkedHashMap<>();
    List<Entry> rawKeys = new ArrayList<>();
    for (Document doc : documents) {
      merge(doc, "providers", rawProviders, problems);
      merge(doc, "models", rawModels, problems);
      Object keys = doc.root().get("gateway_keys");
      if (keys instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          rawKeys.add(new Entry(doc.name(), "gateway_keys[" + i + "]", list.get(i)));
        }
      } else if (keys != null) {
        problems.add(doc.name(), "gateway_keys", "must be a list, got " + Fields.describe(keys));
      }
    }

    Map<String, Provider> providers = new TreeMap<>();
    TransportDefaults transport = TransportDefaults.from(env, problems);
    rawProviders.forEach(
        (name, e) ->
            ProviderParser.parse(name, e, env, transport, problems)
                .ifPresent(p -> providers.put(name, p)));
    Map<String, Model> models = new TreeMap<>();
    rawModels.forEach(
        (name, e) ->
            ModelParser.parse(name, e, rawProviders.keySet(), problems)
                .ifPresent(m -> models.put(name, m)));
    ModelParser.checkAliases(rawModels, problems);
    List<GatewayKey> gatewayKeys = GatewayKeyParser.parse(rawKeys, models, problems);
    problems.throwIfAny();

    List<Path> sources = documents.stream().map(Document::path).toList();
    return new GatewayConfig(
        Collections.unmodifiableMap(providers),
        Collections.unmodifiableMap(models),
        List.copyOf(gatewayKeys),
        sources,
        hash(documents));
  }

  /**
   * Reads {@code path} and what it includes into {@code documents}. Returns false when a file could
   * not be read or parsed; problems inside a readable file (a wrong version, an unknown top-level
   * key) do not stop validation.
   */
  private boolean read(Path path, List<Document> documents, Set<Path> seen, Problems problems) {
    Path key = realPath(path);
    if (!seen.add(key)) {
      return true;
    }
    String name = path.toString();
    String text = overlay.get(path);
    try {
      if (text == null) {
        text = Files.readString(path, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      problems.add(
          name, "", "cannot read file: " + e.getClass().getSimpleName() + " " + e.getMessage());
      return false;
    }
    Object parsed;
    try {
      parsed = YamlReader.create().load(text);
    } catch (MarkedYAMLException e) {
      problems.add(
          name,
          "",
          "invalid YAML at line "
              + (e.getProblemMark().getLine() + 1)
              + ", column "
              + (e.getProblemMark().getColumn() + 1)
              + ": "
              + e.getProblem()
              + (e.getContext() == null ? "" : " (" + e.getContext() + ")"));
      return false;
    } catch (RuntimeException e) {
      problems.add(name, "", "invalid YAML: " + e.getMessage());
      return false;
    }
    if (parsed == null) {
      documents.add(new Document(path, name, Map.of(), text));
      return true;
    }
    var fields = Fields.of(parsed, name, "", problems, TOP_LEVEL);
    if (fields.isEmpty()) {
      return false;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) parsed;
    Object version = root.get("version");
    if (version != null && !(version instanceof Integer i && i == 1) && !"1".equals(version)) {
      problems.add(name, "version", "must be 1, got " + Fields.describe(version));
    }
    documents.add(new Document(path, name, root, text));
    boolean readable = true;
    for (String include : fields.get().strings("include").orElse(List.of())) {
      Path target =
          path.getParent() == null
              ? Path.of(include)
              : path.getParent().resolve(include).normalize();
      if (!Files.isRegularFile(target)
          && !overlay.containsKey(target.toAbsolutePath().normalize())) {
        problems.add(name, "include", "included file not found: " + target);
        readable = false;
      } else {
        readable &= read(target, documents, seen, problems);
      }
    }
    return readable;
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  private static void merge(
      Document doc, String section, Map<String, Entry> into, Problems problems) {
    Object value = doc.root().get(section);
    if (value == null) {
      return;
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(doc.name(), section, "must be a mapping, got " + Fields.describe(value));
      return;
    }
    map.forEach(
        (k, v) -> {
          String name = String.valueOf(k);
          into.remove(
              name); // a later file replaces the whole entry, and takes its place in file order
          into.put(name, new Entry(doc.name(), section + "." + name, v));
        });
  }

  private static String hash(List<Document> documents) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Document d : documents) {
        sha.update(d.path().toString().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(d.text().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Document(Path path, String name, Map<String, Object> root, String text) {}

  /** One raw entry with where it came from. */
  record Entry(String file, String path, Object value) {}
}
