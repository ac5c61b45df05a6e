package org.llmgateway.config;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A key a client presents to the gateway. {@code allowedModels}, when present, holds canonical
 * model names. {@code rpm} (requests per minute) and {@code tpm} (tokens per minute, as upstreams
 * report them), when present, are positive rate limits of this key.
 */
public record GatewayKey(
    String keyId,
    Secret key,
    String tenantId,
    boolean enabled,
    String description,
    Optional<Set<String>> allowedModels,
    OptionalLong rpm,
    OptionalLong tpm) {

  /** The largest {@code rpm} or {@code tpm} accepted: one per 60 ns, beyond any real traffic. */
  public static final long MAX_RATE = 1_000_000_000L;

  /** Whether this key has a rate limit of either kind. */
  public boolean limited() {
    return rpm.isPresent() || tpm.isPresent();
  }

  public boolean allowsModel(String canonicalModel) {
    return allowedModels.map(a -> a.contains(canonicalModel)).orElse(true);
  }
}
