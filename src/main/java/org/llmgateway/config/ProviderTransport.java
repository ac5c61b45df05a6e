package org.llmgateway.config;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * How the gateway connects to one provider, validated: HTTP version, extra trusted CAs (added to
 * the JDK's default trust store, never replacing it), the egress proxy (empty: direct), and the
 * bound on connections.
 *
 * @param extraTrust certificates of {@code GATEWAY_CA_FILE} and the provider's {@code ca_file}
 * @param trustSources the files they came from, for the admin view
 * @param maxConnections HTTP/1.1: exchanges (each holds its own connection) at once; HTTP/2:
 *     connections
 */
public record ProviderTransport(
    HttpVersionPreference httpVersion,
    List<X509Certificate> extraTrust,
    List<String> trustSources,
    Optional<EgressProxy> proxy,
    int maxConnections) {

  /**
   * Default of {@code max_connections}: far above what one provider should need, well below the
   * process's files.
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;

  /**
   * A direct connection with the JDK's trust store and the defaults, for providers that make no
   * connection.
   */
  public static final ProviderTransport DEFAULT =
      new ProviderTransport(
          HttpVersionPreference.AUTO,
          List.of(),
          List.of(),
          Optional.empty(),
          DEFAULT_MAX_CONNECTIONS);
}
