/**
 * The only code that talks to providers. {@link org.llmgateway.upstream.Upstream} is the narrow seam: one method that
 * sends an attempt (the key is passed in) and returns the response with its body unread.
 * {@link org.llmgateway.upstream.HttpUpstream} speaks OpenAI-compatible HTTP through one shared JDK
 * {@link java.net.http.HttpClient}; {@link org.llmgateway.upstream.MockUpstream} answers in-process. May import config and routing.
 */
package org.llmgateway.upstream;
