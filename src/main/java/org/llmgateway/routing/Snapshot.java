package org.llmgateway.routing;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.llmgateway.config.GatewayConfig;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.config.Model;

/**
 * One active configuration with the indexes derived from it, built once per load. Immutable: a
 * request takes the snapshot once at entry and uses it to the end, so a reload never changes a
 * request midway.
 */
public final class Snapshot {
  private final GatewayConfig config;
  private final Map<String, Model> byNameOrAlias;
  private final Instant loadedAt;

  public Snapshot(GatewayConfig config, Instant loadedAt) {
    this.config = config;
    this.loadedAt = loadedAt;
    Map<String, Model> index = new HashMap<>();
    for (Model m : config.models().values()) {
      for (String alias : m.aliases()) {
        index.put(alias, m);
      }
    }
    for (Model m : config.models().values()) {
      index.put(
          m.name(), m); // a canonical name wins over an alias (validation forbids the clash anyway)
    }
    this.byNameOrAlias = Map.copyOf(index);
  }

  public GatewayConfig config() {
    return config;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  public Optional<Model> model(String nameOrAlias) {
    return Optional.ofNullable(byNameOrAlias.get(nameOrAlias));
  }

  /**
   * The gateway key whose value matches {@code presented}; every key is compared, in constant time
   * each.
   */
  public Optional<GatewayKey> gatewayKey(String presented) {
    GatewayKey found = null;
    for (GatewayKey k : config.gatewayKeys()) {
      if (k.key().matches(presented) && found == null) {
        found = k;
      }
    }
    return Optional.ofNullable(found);
  }
}
