package org.llmgateway.upstream;

import java.util.List;

/**
 * One provider's transport as the admin view and metrics show it. No secrets: the proxy is {@code
 * host:port} and where it came from, trust is the CA file names.
 *
 * @param httpVersion the version of the provider's last answer ({@code HTTP/2}, {@code HTTP/1.1},
 *     {@code none yet})
 * @param offered what the gateway offers: HTTP/2 by ALPN (falling back to HTTP/1.1), or HTTP/1.1
 *     only
 * @param connectionsInUse open connections carrying exchanges now (idle keep-alive connections are
 *     not counted: the JDK client does not expose its pool)
 */
public record TransportStats(
    String httpVersion,
    String offered,
    int connectionsInUse,
    int exchangesInFlight,
    int maxConnections,
    long tlsFailures,
    long staleConnectionRetries,
    long connectionWaitTimeouts,
    String proxy,
    List<String> extraTrust,
    boolean sslVerify) {}
