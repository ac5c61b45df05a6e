/**
 * The only code that talks to providers. {@link org.llmgateway.upstream.Upstream} is the narrow seam: one method that
 * sends an attempt (the key is passed in) and returns the response with its body unread.
 * {@link org.llmgateway.upstream.HttpUpstream} speaks HTTP to every provider type through one shared JDK
 * {@link java.net.http.HttpClient}; {@link org.llmgateway.upstream.MockUpstream} answers in-process. Bodies go as
 * given: translation between dialects sits in front, in {@code translate}. May import config and routing.
 */
package org.llmgateway.upstream;
