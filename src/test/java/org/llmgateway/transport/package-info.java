/**
 * End-to-end tests of upstream connections: HTTPS with certificates made at test time, HTTP/2 by
 * ALPN, egress proxies, extra CAs and connection bounds, against the real gateway and in-process
 * upstreams on port 0.
 */
package org.llmgateway.transport;
