package org.llmgateway.observe;

import java.time.Instant;
import org.apache.logging.log4j.message.AsynchronouslyFormattable;

/**
 * One access-log line (JSON) for a finished exchange. Formatted on the logger's thread: the request
 * thread only hands over the finished {@link Exchange}, which nobody writes to any more.
 */
@AsynchronouslyFormattable
final class AccessLine extends LogLine {
  private static final long serialVersionUID = 1L;
  private final transient Exchange e;

  AccessLine(Exchange exchange) {
    this.e = exchange;
  }

  @Override
  public String getFormattedMessage() {
    JsonLine j =
        new JsonLine(512)
            .field("time", Instant.ofEpochMilli(e.startMillis).toString())
            .field("request_id", e.requestId)
            .field("client", e.clientAddress)
            .field("method", e.method)
            .field("path", e.path)
            .field("status", e.status)
            .field("bytes", e.bytesOut)
            .millis("duration_ms", e.durationMs());
    e.ttfbMs().ifPresent(t -> j.millis("ttfb_ms", t));
    j.field("input_model", e.inputModel)
        .field("model", e.model)
        .field("provider", e.provider)
        .field("provider_model", e.providerModel)
        .field("key_id", e.keyId)
        .field("attempts", e.attempts)
        .field("upstream_status", e.upstreamStatus)
        .field("stream", e.stream)
        .field("gateway_key_id", e.gatewayKeyId)
        .field("tenant_id", e.tenantId);
    if (e.totalTokens >= 0) {
      j.field("prompt_tokens", e.promptTokens)
          .field("completion_tokens", e.completionTokens)
          .field("total_tokens", e.totalTokens);
    }
    if (!e.errorType.isEmpty()) {
      j.field("error_type", e.errorType);
    }
    return j.toString();
  }
}
