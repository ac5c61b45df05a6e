package org.llmgateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.llmgateway.observe.Exchange;
import org.llmgateway.observe.Metrics;

/**
 * {@code GET /metrics}: every metric of the gateway in the Prometheus text format 0.0.4, written by
 * the client.
 */
public final class MetricsEndpoint implements Endpoint {
  private final Metrics metrics;

  public MetricsEndpoint(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.route("metrics");
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    metrics.write(body);
    response.setStatus(200);
    response.setContentType(Metrics.CONTENT_TYPE);
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.size());
    body.writeTo(response.getOutputStream());
    exchange.sent(body.size());
  }
}
