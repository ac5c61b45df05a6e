package org.llmgateway.upstream;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.llmgateway.config.EgressProxy;
import org.llmgateway.config.HttpVersionPreference;
import org.llmgateway.config.Provider;

/**
 * What a JDK {@link HttpClient} is built for: providers with equal profiles share clients (and
 * their connection pools), across reloads too. Proxy credentials are not part of it: they travel as
 * a header per request.
 *
 * @param proxy {@code host:port} of the egress proxy, empty for direct connections
 */
record TransportProfile(
    boolean verifyTls,
    List<X509Certificate> extraTrust,
    Optional<String> proxy,
    HttpClient.Version version) {

  static TransportProfile of(Provider provider) {
    boolean https =
        provider
            .baseUrl()
            .map(URI::getScheme)
            .map(s -> s.toLowerCase(Locale.ROOT).equals("https"))
            .orElse(false);
    HttpVersionPreference preference = provider.transport().httpVersion();
    // HTTP/2 only by ALPN over TLS: a HTTP_2 client on http:// would try the h2c upgrade dance
    HttpClient.Version version =
        https && preference != HttpVersionPreference.HTTP_1_1
            ? HttpClient.Version.HTTP_2
            : HttpClient.Version.HTTP_1_1;
    return new TransportProfile(
        provider.sslVerify(),
        provider.transport().extraTrust(),
        provider.transport().proxy().map(EgressProxy::address),
        version);
  }
}
