package org.llmgateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.config.Model;
import org.llmgateway.core.Gateway;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.observe.Exchange;
import org.llmgateway.routing.Snapshot;

/**
 * {@code GET <prefix>/models} in the OpenAI list shape (canonical ids, sorted; only those the
 * caller's gateway key allows) and {@code GET <prefix>/models/{id}} by id or alias.
 */
final class ModelsEndpoint {
  private final Gateway gateway;

  ModelsEndpoint(Gateway gateway) {
    this.gateway = gateway;
  }

  void list(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.route("models");
    Snapshot snapshot = gateway.readySnapshot();
    Optional<GatewayKey> key = Handlers.authenticate(request, snapshot, gateway, exchange);
    List<Map<String, Object>> data = new ArrayList<>();
    for (Model m : snapshot.config().models().values()) {
      if (key.map(k -> k.allowsModel(m.name())).orElse(true)) {
        data.add(model(m, snapshot));
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object", "list");
    body.put("data", data);
    exchange.sent(Json.write(response, 200, body));
  }

  void get(
      String rawId, HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException {
    exchange.route("models");
    Snapshot snapshot = gateway.readySnapshot();
    Optional<GatewayKey> key = Handlers.authenticate(request, snapshot, gateway, exchange);
    String id = URLDecoder.decode(rawId, StandardCharsets.UTF_8);
    Optional<Model> model =
        snapshot.model(id).filter(m -> key.map(k -> k.allowsModel(m.name())).orElse(true));
    if (model.isEmpty()) {
      throw new GatewayException(
          ErrorKind.NOT_FOUND, "The model '" + id + "' does not exist", "model_not_found");
    }
    exchange.model(model.get().name());
    exchange.sent(Json.write(response, 200, model(model.get(), snapshot)));
  }

  private static Map<String, Object> model(Model m, Snapshot snapshot) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", m.name());
    out.put("object", "model");
    out.put("created", snapshot.loadedAt().getEpochSecond());
    out.put("owned_by", "llm-gateway-lite");
    return out;
  }
}
