package org.llmgateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llmgateway.config.Dialect;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.config.Model;
import org.llmgateway.config.Operation;
import org.llmgateway.core.Gateway;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.observe.Exchange;
import org.llmgateway.relay.ClientBody;
import org.llmgateway.routing.Snapshot;

/**
 * POST of a front-door operation (OpenAI's or Anthropic's Messages): authenticate, read and parse
 * the body once, resolve the model, apply the gateway key's rate limits, relay.
 */
final class ProxyEndpoint {
  private static final List<String> ANTHROPIC_HEADERS =
      List.of("anthropic-version", "anthropic-beta");
  private final Gateway gateway;

  ProxyEndpoint(Gateway gateway) {
    this.gateway = gateway;
  }

  Endpoint of(Operation operation) {
    return (request, response, exchange) -> handle(operation, request, response, exchange);
  }

  private void handle(
      Operation operation,
      HttpServletRequest request,
      HttpServletResponse response,
      Exchange exchange)
      throws IOException {
    exchange.route(operation.configName());
    Snapshot snapshot = gateway.readySnapshot();
    Optional<GatewayKey> key = Handlers.authenticate(request, snapshot, gateway, exchange);
    RequestBody raw = BodyReader.read(request, gateway.settings().maxBodyBytes());
    ClientBody body = ClientBody.parse(raw.buffer(), raw.length());
    exchange.requested(body.model(), body.stream());
    if (operation.takesMessages() && body.messagesMalformed()) {
      // caught here, in the client's protocol: a translated or mock attempt would not say it
      throw new GatewayException(
          ErrorKind.INVALID_REQUEST,
          "messages must be an array of message objects",
          "invalid_messages");
    }
    Model model =
        snapshot
            .model(body.model())
            .orElseThrow(
                () ->
                    new GatewayException(
                        ErrorKind.UNKNOWN_MODEL,
                        "unsupported model: " + body.model(),
                        "model_not_found"));
    exchange.model(model.name());
    if (key.isPresent() && !key.get().allowsModel(model.name())) {
      throw new GatewayException(
          ErrorKind.FORBIDDEN, "model not allowed: " + body.model(), "model_not_allowed");
    }
    if (operation == Operation.COUNT_TOKENS
        && model.providerMap().keySet().stream()
            .map(p -> snapshot.config().providers().get(p))
            .noneMatch(p -> p != null && p.serves(operation))) {
      throw new GatewayException(
          ErrorKind.NOT_FOUND,
          "count_tokens is not available for model "
              + body.model()
              + ": none of its providers speaks the Anthropic Messages API",
          "not_found");
    }
    HttpServletResponse out =
        key.isPresent() ? RateLimitCheck.admit(gateway, key.get(), response) : response;
    try {
      gateway
          .relay()
          .relay(operation, body, model, snapshot, exchange, out, forwarded(operation, request));
    } finally {
      if (key.isPresent()) {
        RateLimitCheck.charge(gateway, key.get(), exchange);
      }
    }
  }

  /**
   * The client's dialect headers, sent on to upstreams of the same dialect (the Anthropic API
   * version and betas).
   */
  private static Map<String, String> forwarded(Operation operation, HttpServletRequest request) {
    if (operation.dialect() != Dialect.ANTHROPIC) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>(2);
    for (String name : ANTHROPIC_HEADERS) {
      String value = request.getHeader(name);
      if (value != null && !value.isBlank()) {
        out.put(name, value.trim());
      }
    }
    return out;
  }
}
