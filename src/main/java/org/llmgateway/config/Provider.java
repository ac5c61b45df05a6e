package org.llmgateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One upstream provider, validated and immutable.
 *
 * @param requestDefaults top-level body fields the client left out, each already serialised as JSON bytes
 * @param timeout bounds connecting plus waiting for response headers, and the silence between two stream events
 * @param transport HTTP version, extra trusted CAs, egress proxy and connection bound
 */
public record Provider(
    String name,
    ProviderType type,
    Optional<URI> baseUrl,
    Map<Operation, String> endpoints,
    Auth auth,
    Map<String, String> headers,
    Map<String, byte[]> requestDefaults,
    List<ProviderKey> keys,
    int weight,
    Duration timeout,
    boolean sslVerify,
    MockOptions mock,
    ProviderTransport transport) {

  /** A provider with the default transport (direct, the JDK's trust store, HTTP version auto). */
  public Provider(String name, ProviderType type, Optional<URI> baseUrl, Map<Operation, String> endpoints, Auth auth,
      Map<String, String> headers, Map<String, byte[]> requestDefaults, List<ProviderKey> keys, int weight,
      Duration timeout, boolean sslVerify, MockOptions mock) {
    this(name, type, baseUrl, endpoints, auth, headers, requestDefaults, keys, weight, timeout, sslVerify, mock,
        ProviderTransport.DEFAULT);
  }

  public boolean serves(Operation operation) {
    return endpoints.containsKey(operation);
  }

  /** Keys to rotate over; a provider that needs none has the one {@link ProviderKey#NONE}. */
  public List<ProviderKey> rotation() {
    return keys.isEmpty() ? List.of(ProviderKey.NONE) : keys;
  }

  /** The upstream URL of an operation: {@code base_url} + endpoint path. */
  public URI url(Operation operation) {
    String base = baseUrl.map(URI::toString).orElse("mock:");
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + endpoints.get(operation));
  }

  @Override
  public String toString() {
    return "Provider[" + name + ", " + type + ", " + baseUrl.map(URI::toString).orElse("-") + ", keys="
        + keys.stream().map(ProviderKey::id).toList() + "]";
  }
}
