package org.llmgateway.observe;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.logging.log4j.message.AsynchronouslyFormattable;

/**
 * One upstream.log JSON line per attempt: the request as sent (URL, method, headers with auth
 * values redacted, body capped) and the response (status, duration, body when not 2xx). Formatted
 * on the logger's thread.
 */
@AsynchronouslyFormattable
final class UpstreamLine extends LogLine {
  private static final long serialVersionUID = 1L;
  private final transient AttemptRecord a;
  private final long atMillis;
  private final int maxBody;

  UpstreamLine(AttemptRecord attempt, long atMillis, int maxBody) {
    this.a = attempt;
    this.atMillis = atMillis;
    this.maxBody = maxBody;
  }

  @Override
  public String getFormattedMessage() {
    StringBuilder headers = new StringBuilder(256).append('{');
    header(headers, "Content-Type", "application/json");
    header(headers, "Accept", a.stream() ? "text/event-stream" : "application/json");
    header(headers, "X-Request-Id", a.requestId());
    if (a.provider().auth().sendsKey() && !a.keyId().equals("-")) {
      header(headers, a.provider().auth().header(), "***");
    }
    for (Map.Entry<String, String> h : a.provider().headers().entrySet()) {
      header(headers, h.getKey(), Redact.headerValue(h.getKey(), h.getValue()));
    }
    headers.append('}');
    JsonLine request =
        new JsonLine(256)
            .field("url", a.url().toString())
            .field("method", "POST")
            .raw("headers", headers.toString());
    if (a.requestBody() != null) {
      request.field("body", capped(a.requestBody()));
    }
    JsonLine response =
        new JsonLine(128)
            .field("status", a.status())
            .millis("duration_ms", a.durationNanos() / 1e6);
    if (a.errorBody() != null && (a.status() < 200 || a.status() >= 300)) {
      response.field("body", capped(a.errorBody()));
    }
    if (!a.error().isEmpty()) {
      response.field("error", a.error());
    }
    return new JsonLine(512)
        .field("time", Instant.ofEpochMilli(atMillis).toString())
        .field("event", "upstream_request")
        .field("request_id", a.requestId())
        .field("provider", a.provider().name())
        .field("key_id", a.keyId())
        .field("attempt", a.attempt())
        .field("outcome", a.outcome().label())
        .raw("request", request.toString())
        .raw("response", response.toString())
        .toString();
  }

  private String capped(byte[] body) {
    if (body.length <= maxBody) {
      return new String(body, StandardCharsets.UTF_8);
    }
    return new String(body, 0, maxBody, StandardCharsets.UTF_8)
        + "...[truncated "
        + (body.length - maxBody)
        + " bytes]";
  }

  private static void header(StringBuilder sb, String name, String value) {
    if (sb.length() > 1) {
      sb.append(',');
    }
    JsonLine.string(sb, name);
    sb.append(':');
    JsonLine.string(sb, value);
  }
}
