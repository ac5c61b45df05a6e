package org.llmgateway.config;

import java.util.Optional;
import java.util.Set;

/**
 * A key a client presents to the gateway. {@code allowedModels}, when present, holds canonical
 * model names.
 */
public record GatewayKey(
    String keyId,
    Secret key,
    String tenantId,
    boolean enabled,
    String description,
    Optional<Set<String>> allowedModels) {

  public boolean allowsModel(String canonicalModel) {
    return allowedModels.map(a -> a.contains(canonicalModel)).orElse(true);
  }
}
