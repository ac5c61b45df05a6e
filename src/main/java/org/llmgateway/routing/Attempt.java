package org.llmgateway.routing;

import org.llmgateway.config.ProviderKey;

/**
 * One try: a provider, the upstream model name and the key to send. {@code number} counts from 1.
 */
public record Attempt(Route route, ProviderKey key, int number) {
  public String providerName() {
    return route.provider().name();
  }
}
