package org.llmgateway.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Validates {@code gateway_keys} entries; {@code allowed_models} may name models or aliases and are
 * stored canonical; {@code rpm} and {@code tpm} are optional positive whole numbers.
 */
final class GatewayKeyParser {
  private static final Set<String> KEYS =
      Set.of(
          "key_id", "key", "tenant_id", "enabled", "description", "allowed_models", "rpm", "tpm");

  private GatewayKeyParser() {}

  static List<GatewayKey> parse(
      List<ConfigLoader.Entry> entries, Map<String, Model> models, Problems problems) {
    List<GatewayKey> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<Secret> values = new ArrayList<>();
    for (ConfigLoader.Entry e : entries) {
      Optional<Fields> maybe = Fields.of(e.value(), e.file(), e.path(), problems, KEYS);
      if (maybe.isEmpty()) {
        continue;
      }
      Fields f = maybe.get();
      int before = problems.size();
      String id = f.string("key_id").orElse("");
      if (id.isBlank()) {
        f.error("key_id", "is required");
      } else if (!ids.add(id)) {
        f.error("key_id", "duplicate gateway key id \"" + id + "\"");
      }
      String value = f.string("key").orElse("");
      if (value.isBlank()) {
        f.error("key", "is required");
      }
      Secret secret = new Secret(value.trim());
      if (!value.isBlank() && values.contains(secret)) {
        f.error("key", "the same key value is already used by another gateway key");
      }
      values.add(secret);
      Optional<Set<String>> allowed =
          f.strings("allowed_models")
              .map(
                  list -> {
                    Set<String> canonical = new LinkedHashSet<>();
                    for (int i = 0; i < list.size(); i++) {
                      String m = list.get(i);
                      Optional<Model> model = resolve(m, models);
                      if (model.isEmpty()) {
                        problems.add(
                            f.file(),
                            f.child("allowed_models") + "[" + i + "]",
                            "names unknown model \"" + m + "\"");
                      } else {
                        canonical.add(model.get().name());
                      }
                    }
                    return Set.copyOf(canonical);
                  });
      boolean enabled = f.bool("enabled", true);
      OptionalLong rpm = rate(f, "rpm");
      OptionalLong tpm = rate(f, "tpm");
      if (problems.size() == before) {
        out.add(
            new GatewayKey(
                id,
                secret,
                f.string("tenant_id").orElse("default"),
                enabled,
                f.string("description").orElse(""),
                allowed,
                rpm,
                tpm));
      }
    }
    return out;
  }

  /** An optional rate limit: a whole number from 1 to {@link GatewayKey#MAX_RATE}. */
  private static OptionalLong rate(Fields f, String key) {
    if (!f.has(key)) {
      return OptionalLong.empty();
    }
    int before = f.problems().size();
    long n = f.number(key, 0, 1);
    if (f.problems().size() != before) {
      return OptionalLong.empty();
    }
    if (n > GatewayKey.MAX_RATE) {
      f.error(key, "must be at most " + GatewayKey.MAX_RATE + ", got " + n);
      return OptionalLong.empty();
    }
    return OptionalLong.of(n);
  }

  private static Optional<Model> resolve(String nameOrAlias, Map<String, Model> models) {
    Model m = models.get(nameOrAlias);
    if (m != null) {
      return Optional.of(m);
    }
    return models.values().stream().filter(x -> x.aliases().contains(nameOrAlias)).findFirst();
  }
}
