package org.llmgateway.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates one {@code models.<name>} entry into a {@link Model}, and aliases across all models.
 */
final class ModelParser {
  private static final Set<String> KEYS =
      Set.of("aliases", "provider_map", "policy", "description");
  private static final Set<String> POLICY_KEYS =
      Set.of("default_provider", "default_providers", "allow_providers");

  private ModelParser() {}

  static Optional<Model> parse(
      String name, ConfigLoader.Entry entry, Set<String> providerNames, Problems problems) {
    int before = problems.size();
    Optional<Fields> maybe = Fields.of(entry.value(), entry.file(), entry.path(), problems, KEYS);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    Fields f = maybe.get();
    List<String> aliases = f.strings("aliases").orElse(List.of());
    Map<String, String> providerMap = f.stringMap("provider_map").orElse(Map.of());
    if (providerMap.isEmpty()) {
      f.error("provider_map", "must map at least one provider to an upstream model name");
    }
    providerMap.forEach(
        (provider, upstreamModel) -> {
          if (!providerNames.contains(provider)) {
            problems.add(
                f.file(),
                f.child("provider_map") + "." + provider,
                unknownProvider(provider, providerNames));
          } else if (upstreamModel.isBlank()) {
            problems.add(
                f.file(), f.child("provider_map") + "." + provider, "must name the upstream model");
          }
        });
    List<String> defaults = new ArrayList<>();
    Optional<Set<String>> allow = Optional.empty();
    if (f.has("policy")) {
      Optional<Fields> p =
          Fields.of(f.raw("policy"), f.file(), f.child("policy"), problems, POLICY_KEYS);
      if (p.isPresent()) {
        Fields policy = p.get();
        policy
            .strings("default_providers")
            .ifPresent(
                list ->
                    checkProviders(
                        policy, "default_providers", list, providerMap, providerNames, true));
        policy.strings("default_providers").ifPresent(defaults::addAll);
        policy
            .string("default_provider")
            .ifPresent(
                single -> {
                  checkProviders(
                      policy,
                      "default_provider",
                      List.of(single),
                      providerMap,
                      providerNames,
                      true);
                  if (!defaults.contains(single)) {
                    defaults.add(single);
                  }
                });
        Optional<List<String>> allowList = policy.strings("allow_providers");
        allowList.ifPresent(
            list ->
                checkProviders(policy, "allow_providers", list, providerMap, providerNames, false));
        allow = allowList.map(LinkedHashSet::new).map(Set::copyOf);
        Optional<Set<String>> allowed = allow;
        defaults.stream()
            .filter(d -> allowed.isPresent() && !allowed.get().contains(d))
            .forEach(
                d -> policy.error("default_provider", "\"" + d + "\" is not in allow_providers"));
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new Model(
            name,
            List.copyOf(new LinkedHashSet<>(aliases)),
            Collections.unmodifiableMap(new LinkedHashMap<>(providerMap)),
            List.copyOf(defaults),
            allow));
  }

  private static void checkProviders(
      Fields policy,
      String key,
      List<String> names,
      Map<String, String> providerMap,
      Set<String> providerNames,
      boolean mustBeMapped) {
    for (int i = 0; i < names.size(); i++) {
      String p = names.get(i);
      String path = key.equals("default_provider") ? key : key + "[" + i + "]";
      if (!providerNames.contains(p)) {
        policy.problems().add(policy.file(), policy.child(path), unknownProvider(p, providerNames));
      } else if (mustBeMapped && !providerMap.containsKey(p)) {
        policy
            .problems()
            .add(
                policy.file(),
                policy.child(path),
                "provider \"" + p + "\" is not in this model's provider_map");
      }
    }
  }

  private static String unknownProvider(String provider, Set<String> known) {
    String hint =
        Suggest.closest(provider, known).map(s -> " (did you mean \"" + s + "\"?)").orElse("");
    return "names undefined provider \"" + provider + "\"" + hint;
  }

  /**
   * An alias or model name may stand for one model only. Read from the raw entries, so that a clash
   * is reported even when one of the two models has other errors.
   */
  static void checkAliases(Map<String, ConfigLoader.Entry> raw, Problems problems) {
    Map<String, String> owner = new HashMap<>();
    for (String name : raw.keySet()) {
      owner.put(name, name);
    }
    for (String name : new TreeSet<>(raw.keySet())) {
      ConfigLoader.Entry e = raw.get(name);
      for (String alias : new LinkedHashSet<>(rawAliases(e.value()))) {
        String previous = owner.putIfAbsent(alias, name);
        if (previous != null && !previous.equals(name)) {
          problems.add(
              e.file(),
              e.path() + ".aliases",
              "alias \"" + alias + "\" is already used by model \"" + previous + "\"");
        }
      }
    }
  }

  private static List<String> rawAliases(Object model) {
    if (model instanceof Map<?, ?> m && m.get("aliases") instanceof List<?> list) {
      return list.stream()
          .filter(a -> a instanceof String || a instanceof Number)
          .map(String::valueOf)
          .toList();
    }
    return List.of();
  }
}
