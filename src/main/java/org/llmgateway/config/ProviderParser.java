package org.llmgateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Validates one {@code providers.<name>} entry into a {@link Provider}; the defaults of the
 * original live here.
 */
final class ProviderParser {
  private static final Set<String> KEYS = allowedKeys();
  private static final Set<String> AUTH_KEYS = Set.of("mode", "header", "prefix");
  private static final Set<String> AUTH_MODES = Set.of("bearer", "header", "none");
  private static final Set<String> KEY_KEYS = Set.of("id", "value", "value_env");
  private static final Set<String> MOCK_KEYS = Set.of("delay_ms", "embedding_dimensions");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProviderParser() {}

  private static Set<String> allowedKeys() {
    Set<String> keys =
        new HashSet<>(
            Set.of(
                "type",
                "base_url",
                "endpoints",
                "auth",
                "headers",
                "request_defaults",
                "keys",
                "weight",
                "timeout_ms",
                "ssl_verify",
                "mock",
                "description"));
    keys.addAll(TransportParser.KEYS);
    return Set.copyOf(keys);
  }

  static Optional<Provider> parse(
      String name,
      ConfigLoader.Entry entry,
      Function<String, String> env,
      TransportDefaults transportDefaults,
      Problems problems) {
    int before = problems.size();
    Optional<Fields> maybe = Fields.of(entry.value(), entry.file(), entry.path(), problems, KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    String typeName = f.string("type").orElse(ProviderType.OPENAI_COMPAT.configName());
    ProviderType type =
        ProviderType.fromConfigName(typeName)
            .orElseGet(
                () -> {
                  f.error(
                      "type",
                      "unknown provider type \""
                          + typeName
                          + "\"; known: openai_compat, anthropic, gemini, mock");
                  return ProviderType.OPENAI_COMPAT;
                });
    boolean mock = type == ProviderType.MOCK;

    Optional<URI> baseUrl =
        f.string("base_url").or(() -> NativeDefaults.baseUrl(type)).flatMap(s -> url(s, f));
    if (type == ProviderType.OPENAI_COMPAT && !f.has("base_url")) {
      f.error("base_url", "is required for type " + type.configName());
    }
    Map<Operation, String> endpoints = endpoints(f, type);
    if (endpoints.containsKey(Operation.GENERATE_CONTENT)
        != endpoints.containsKey(Operation.STREAM_GENERATE_CONTENT)) {
      f.error(
          "endpoints",
          "generate_content and stream_generate_content go together: set both or neither");
    }
    Auth auth = f.has("auth") ? auth(f) : NativeDefaults.auth(type);
    Map<String, String> headers =
        NativeDefaults.headers(type, f.stringMap("headers").orElse(Map.of()));
    headers.keySet().stream()
        .filter(h -> !HEADER_NAME.matcher(h).matches())
        .forEach(
            h ->
                problems.add(
                    f.file(), f.child("headers") + "." + h, "is not a valid HTTP header name"));
    Map<String, byte[]> defaults = requestDefaults(f);
    List<ProviderKey> keys = keys(f, env);
    if (!mock && auth.sendsKey() && keys.isEmpty() && !f.has("keys")) {
      f.error("keys", "at least one key is required (or set auth.mode: none)");
    }
    int weight = (int) f.number("weight", 1, 0);
    long timeoutMs = f.number("timeout_ms", 60_000, 1);
    boolean sslVerify = f.bool("ssl_verify", true);
    MockOptions mockOptions = mockOptions(f, mock);
    ProviderTransport transport =
        mock
            ? ProviderTransport.DEFAULT
            : TransportParser.parse(f, baseUrl, sslVerify, transportDefaults, env);
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new Provider(
            name,
            type,
            baseUrl,
            endpoints,
            auth,
            Map.copyOf(headers),
            defaults,
            List.copyOf(keys),
            weight,
            Duration.ofMillis(timeoutMs),
            sslVerify,
            mockOptions,
            transport));
  }

  private static Optional<URI> url(String s, Fields f) {
    try {
      URI uri = new URI(s.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getQuery() == null
          && uri.getFragment() == null) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    f.error("base_url", "must be an http(s) URL, got \"" + s + "\"");
    return Optional.empty();
  }

  private static Map<Operation, String> endpoints(Fields f, ProviderType type) {
    Map<Operation, String> out = new EnumMap<>(Operation.class);
    if (!f.has("endpoints")) {
      return NativeDefaults.endpoints(type);
    }
    Set<String> names = new HashSet<>();
    for (Operation op : Operation.values()) {
      names.add(op.configName());
    }
    Fields.of(f.raw("endpoints"), f.file(), f.child("endpoints"), f.problems(), names)
        .ifPresent(
            e -> {
              for (Operation op : Operation.values()) {
                e.string(op.configName())
                    .ifPresent(
                        path -> {
                          if (!path.startsWith("/") || path.contains(" ") || !validUri(path)) {
                            e.error(
                                op.configName(),
                                "must be a path starting with \"/\", got \"" + path + "\"");
                          } else {
                            out.put(op, path);
                          }
                        });
              }
            });
    return Map.copyOf(out);
  }

  private static boolean validUri(String path) {
    try {
      new URI("http://h" + path.replace(Provider.MODEL_PLACEHOLDER, "m"));
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static Auth auth(Fields f) {
    return Fields.of(f.raw("auth"), f.file(), f.child("auth"), f.problems(), AUTH_KEYS)
        .map(
            a -> {
              String mode = a.string("mode").orElse("bearer").toLowerCase(Locale.ROOT);
              if (!AUTH_MODES.contains(mode)) {
                a.error("mode", "must be one of bearer, header, none, got \"" + mode + "\"");
              }
              String header = a.string("header").orElse("Authorization");
              if (!HEADER_NAME.matcher(header).matches()) {
                a.error("header", "is not a valid HTTP header name: \"" + header + "\"");
              }
              String prefix =
                  a.string("prefix")
                      .orElse(header.equalsIgnoreCase("Authorization") ? "Bearer " : "");
              return new Auth(mode, header, prefix);
            })
        .orElse(Auth.DEFAULT);
  }

  private static Map<String, byte[]> requestDefaults(Fields f) {
    Object raw = f.raw("request_defaults");
    if (raw == null) {
      return Map.of();
    }
    if (!(raw instanceof Map<?, ?> map)) {
      f.error("request_defaults", "must be a mapping, got " + Fields.describe(raw));
      return Map.of();
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          if (key.equals("model") || key.equals("provider")) {
            f.problems()
                .add(
                    f.file(),
                    f.child("request_defaults") + "." + key,
                    "cannot be set here: the gateway routes on it");
            return;
          }
          try {
            out.put(key, JSON.writeValueAsBytes(v));
          } catch (JsonProcessingException e) {
            f.problems()
                .add(
                    f.file(), f.child("request_defaults") + "." + key, "cannot be written as JSON");
          }
        });
    return Collections.unmodifiableMap(out);
  }

  private static List<ProviderKey> keys(Fields f, Function<String, String> env) {
    Object raw = f.raw("keys");
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      f.error("keys", "must be a list, got " + Fields.describe(raw));
      return List.of();
    }
    if (list.isEmpty()) {
      f.error("keys", "must not be empty (or set auth.mode: none)");
    }
    List<ProviderKey> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = f.child("keys") + "[" + i + "]";
      Optional<Fields> k = Fields.of(list.get(i), f.file(), path, f.problems(), KEY_KEYS);
      if (k.isEmpty()) {
        continue;
      }
      Fields key = k.get();
      Optional<String> id = key.string("id");
      if (id.isEmpty() || id.get().isBlank()) {
        key.error("id", "is required");
      } else if (!ids.add(id.get())) {
        key.error("id", "duplicate key id \"" + id.get() + "\" in this provider");
      }
      Optional<String> value = key.string("value");
      Optional<String> envName = key.string("value_env");
      String secret = null;
      if (value.isPresent() && envName.isPresent()) {
        key.error("value", "set either value or value_env, not both");
      } else if (value.isPresent()) {
        if (value.get().isBlank()) {
          key.error("value", "must not be empty");
        } else {
          secret = value.get().trim();
        }
      } else if (envName.isPresent()) {
        String fromEnv = env.apply(envName.get());
        if (fromEnv == null || fromEnv.isBlank()) {
          key.error("value_env", "environment variable " + envName.get() + " is not set");
        } else {
          secret = fromEnv.trim();
        }
      } else {
        key.error("value", "a key needs value or value_env");
      }
      if (secret != null && id.isPresent()) {
        out.add(new ProviderKey(id.get(), new Secret(secret)));
      }
    }
    return out;
  }

  private static MockOptions mockOptions(Fields f, boolean mock) {
    if (!f.has("mock")) {
      return MockOptions.DEFAULT;
    }
    if (!mock) {
      f.error("mock", "is only allowed for type mock");
      return MockOptions.DEFAULT;
    }
    return Fields.of(f.raw("mock"), f.file(), f.child("mock"), f.problems(), MOCK_KEYS)
        .map(
            m ->
                new MockOptions(
                    (int) m.number("delay_ms", MockOptions.DEFAULT.delayMs(), 0),
                    (int)
                        Math.min(
                            m.number(
                                "embedding_dimensions",
                                MockOptions.DEFAULT.embeddingDimensions(),
                                1),
                            8192)))
        .orElse(MockOptions.DEFAULT);
  }
}
