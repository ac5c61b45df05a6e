package org.llmgateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A complete, validated configuration: the merge of every file read. Immutable; a reload builds a
 * new one.
 *
 * @param providers by name, sorted
 * @param models by canonical name, sorted
 * @param hash SHA-256 over the files' paths and contents, to tell whether a reload changed anything
 */
public record GatewayConfig(
    Map<String, Provider> providers,
    Map<String, Model> models,
    List<GatewayKey> gatewayKeys,
    List<Path> sources,
    String hash) {

  /**
   * The model for a canonical name or alias. Linear lookups are avoided by {@code
   * routing.Snapshot}.
   */
  public Optional<Model> model(String nameOrAlias) {
    Model m = models.get(nameOrAlias);
    if (m != null) {
      return Optional.of(m);
    }
    return models.values().stream().filter(x -> x.aliases().contains(nameOrAlias)).findFirst();
  }
}
