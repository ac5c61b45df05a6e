package org.llmgateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.observe.Exchange;

/**
 * One handler behind the route table. Throws {@link GatewayException} for errors the gateway
 * answers itself.
 */
@FunctionalInterface
public interface Endpoint {
  void handle(HttpServletRequest request, HttpServletResponse response, Exchange exchange)
      throws IOException;

  /** The same endpoint, refusing other methods with 405 and an {@code Allow} header. */
  default Endpoint only(String... methods) {
    String allow = String.join(", ", methods);
    return (request, response, exchange) -> {
      for (String m : methods) {
        if (m.equals(request.getMethod())) {
          handle(request, response, exchange);
          return;
        }
      }
      throw new GatewayException(
          ErrorKind.METHOD_NOT_ALLOWED,
          "method " + request.getMethod() + " not allowed here; allowed: " + allow,
          "method_not_allowed",
          Map.of("Allow", allow));
    };
  }
}
