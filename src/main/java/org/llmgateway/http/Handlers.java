package org.llmgateway.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.core.Gateway;
import org.llmgateway.observe.Exchange;
import org.llmgateway.routing.Snapshot;

/**
 * The two steps every API handler starts with: take the active snapshot, authenticate the caller.
 */
final class Handlers {
  private Handlers() {}

  static Optional<GatewayKey> authenticate(
      HttpServletRequest request, Snapshot snapshot, Gateway gateway, Exchange exchange) {
    Optional<GatewayKey> key =
        ClientAuth.authenticate(request, snapshot, gateway.settings().authEnabled());
    key.ifPresent(k -> exchange.gatewayKey(k.keyId(), k.tenantId()));
    return key;
  }
}
