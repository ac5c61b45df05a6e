package org.llmgateway.observe;

import org.apache.logging.log4j.message.AsynchronouslyFormattable;

/**
 * The original's per-request summary for app.log / error.log, as {@code key=value} pairs; the
 * gateway key id and the upstream key id are separate fields. Formatted on the logger's thread.
 */
@AsynchronouslyFormattable
final class SummaryLine extends LogLine {
  private static final long serialVersionUID = 1L;
  private final transient Exchange e;

  SummaryLine(Exchange exchange) {
    this.e = exchange;
  }

  @Override
  public String getFormattedMessage() {
    StringBuilder sb = new StringBuilder(384).append("request");
    pair(sb, "request_id", e.requestId);
    pair(sb, "status", Integer.toString(e.status));
    pair(sb, "tenant_id", e.tenantId);
    pair(sb, "gateway_key_id", e.gatewayKeyId);
    pair(sb, "input_model", e.inputModel);
    pair(sb, "std_model", e.model);
    pair(sb, "provider", e.provider);
    pair(sb, "key_id", e.keyId);
    pair(sb, "provider_model", e.providerModel);
    pair(sb, "upstream_status", Integer.toString(e.upstreamStatus));
    pair(sb, "latency_ms", Long.toString(Math.round(e.durationMs())));
    pair(sb, "attempts", Integer.toString(e.attempts));
    pair(sb, "stream", Boolean.toString(e.stream));
    pair(sb, "error_type", e.errorType);
    if (!e.errorMessage.isEmpty()) {
      sb.append(" error=");
      JsonLine.string(sb, e.errorMessage);
    }
    return sb.toString();
  }

  private static void pair(StringBuilder sb, String key, String value) {
    sb.append(' ').append(key).append('=').append(value == null || value.isEmpty() ? "-" : value);
  }
}
