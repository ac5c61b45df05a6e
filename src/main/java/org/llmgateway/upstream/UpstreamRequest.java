package org.llmgateway.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.llmgateway.config.Operation;
import org.llmgateway.routing.Attempt;

/**
 * What one attempt sends: the client's operation, the provider and key (in {@code attempt}), the
 * provider's URL for the operation it is sent as (built once per attempt), the rewritten body
 * (still in the client's dialect), how long to wait for response headers, and the client headers
 * that go upstream when the upstream speaks the client's dialect ({@code anthropic-version}, {@code
 * anthropic-beta}).
 */
public record UpstreamRequest(
    Operation operation,
    Attempt attempt,
    URI url,
    byte[] body,
    boolean stream,
    String requestId,
    Duration timeout,
    Map<String, String> clientHeaders) {

  public UpstreamRequest(
      Operation operation,
      Attempt attempt,
      URI url,
      byte[] body,
      boolean stream,
      String requestId,
      Duration timeout) {
    this(operation, attempt, url, body, stream, requestId, timeout, Map.of());
  }
}
