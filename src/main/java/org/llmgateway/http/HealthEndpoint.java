package org.llmgateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llmgateway.core.Gateway;
import org.llmgateway.observe.Exchange;

/**
 * {@code /healthz}: 200 while the process serves. {@code /readyz}: 200 once a valid configuration
 * is active.
 */
final class HealthEndpoint {
  private final Gateway gateway;

  HealthEndpoint(Gateway gateway) {
    this.gateway = gateway;
  }

  void health(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.sent(Json.write(response, 200, Map.of("status", "ok")));
  }

  void ready(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    var snapshot = gateway.snapshot();
    body.put("status", snapshot.isPresent() ? "ready" : "not_ready");
    snapshot.ifPresent(
        s -> {
          body.put("config_hash", s.config().hash());
          body.put("loaded_at", s.loadedAt().toString());
          body.put("providers", s.config().providers().size());
          body.put("models", s.config().models().size());
        });
    if (!gateway.lastErrors().isEmpty()) {
      body.put("last_reload_errors", gateway.lastErrors());
    }
    exchange.sent(Json.write(response, snapshot.isPresent() ? 200 : 503, body));
  }
}
