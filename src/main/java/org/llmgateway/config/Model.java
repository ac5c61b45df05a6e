package org.llmgateway.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A canonical model with its aliases and where it can be served.
 *
 * @param providerMap provider name to upstream model name, in file order
 * @param defaultProviders {@code policy.default_providers} in order, then {@code
 *     policy.default_provider}: strict priority
 * @param allowProviders {@code policy.allow_providers}, a whitelist; empty means every mapped
 *     provider is allowed
 */
public record Model(
    String name,
    List<String> aliases,
    Map<String, String> providerMap,
    List<String> defaultProviders,
    Optional<Set<String>> allowProviders) {

  /** Whether requests for this model may go to {@code provider}. */
  public boolean allows(String provider) {
    return providerMap.containsKey(provider)
        && allowProviders.map(a -> a.contains(provider)).orElse(true);
  }
}
