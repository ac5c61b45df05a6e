package org.llmgateway.upstream;

import java.net.URI;
import java.time.Duration;
import org.llmgateway.config.Operation;
import org.llmgateway.routing.Attempt;

/**
 * What one attempt sends: the operation, the provider and key (in {@code attempt}), the provider's URL for the
 * operation (built once per attempt), the rewritten body, and how long to wait for response headers.
 */
public record UpstreamRequest(Operation operation, Attempt attempt, URI url, byte[] body, boolean stream,
    String requestId, Duration timeout) {}
