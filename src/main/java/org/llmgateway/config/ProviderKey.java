package org.llmgateway.config;

/**
 * One API key of a provider. {@code id} is what logs, metrics, headers and the admin API show; the
 * value stays inside {@link Secret}.
 */
public record ProviderKey(String id, Secret value) {
  /** The single pseudo-key of a provider that needs none (the mock, {@code auth.mode: none}). */
  public static final ProviderKey NONE = new ProviderKey("-", new Secret(""));
}
