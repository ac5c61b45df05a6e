/**
 * The only code that talks to providers. {@link org.llmgateway.upstream.Upstream} is the narrow
 * seam: one method that sends an attempt (the key is passed in) and returns the response with its
 * body unread. {@link org.llmgateway.upstream.HttpUpstream} speaks HTTP to every provider type
 * through {@link org.llmgateway.upstream.UpstreamTransport}: JDK {@link java.net.http.HttpClient}s
 * per transport profile (trust, proxy, HTTP version), HTTP/2 by ALPN, {@code max_connections},
 * named TLS failures, one retry on a stale pooled connection; {@link
 * org.llmgateway.upstream.TransportGauges} exposes its counters as metrics. {@link
 * org.llmgateway.upstream.MockUpstream} answers in-process. Bodies go as given: translation between
 * dialects sits in front, in {@code translate}. May import config and routing.
 */
package org.llmgateway.upstream;
