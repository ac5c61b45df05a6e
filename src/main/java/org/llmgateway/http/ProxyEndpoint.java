package org.llmgateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.config.Model;
import org.llmgateway.config.Operation;
import org.llmgateway.core.Gateway;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.observe.Exchange;
import org.llmgateway.relay.ClientBody;
import org.llmgateway.routing.Snapshot;

/** POST of an OpenAI operation: authenticate, read and parse the body once, resolve the model, relay. */
final class ProxyEndpoint {
  private final Gateway gateway;

  ProxyEndpoint(Gateway gateway) {
    this.gateway = gateway;
  }

  Endpoint of(Operation operation) {
    return (request, response, exchange) -> handle(operation, request, response, exchange);
  }

  private void handle(Operation operation, HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.route(operation.configName());
    Snapshot snapshot = gateway.readySnapshot();
    Optional<GatewayKey> key = Handlers.authenticate(request, snapshot, gateway, exchange);
    RequestBody raw = BodyReader.read(request, gateway.settings().maxBodyBytes());
    ClientBody body = ClientBody.parse(raw.buffer(), raw.length());
    exchange.requested(body.model(), body.stream());
    Model model = snapshot.model(body.model()).orElseThrow(() -> new GatewayException(ErrorKind.UNKNOWN_MODEL,
        "unsupported model: " + body.model(), "model_not_found"));
    exchange.model(model.name());
    if (key.isPresent() && !key.get().allowsModel(model.name())) {
      throw new GatewayException(ErrorKind.FORBIDDEN, "model not allowed: " + body.model(), "model_not_allowed");
    }
    gateway.relay().relay(operation, body, model, snapshot, exchange, response);
  }
}
