package org.llmgateway;

import java.time.Clock;
import org.llmgateway.http.Endpoint;
import org.llmgateway.http.ErrorKind;
import org.llmgateway.http.GatewayException;
import org.llmgateway.observe.Metrics;
import org.llmgateway.observe.Telemetry;

/** Assembles a gateway with its telemetry and the operations endpoints (metrics, admin). */
public record Ops(Gateway gateway, Telemetry telemetry, Endpoint metricsEndpoint, Endpoint adminEndpoint) {
  public static Ops create(Settings settings, Clock clock) {
    Telemetry telemetry = new Telemetry(settings.logBodyMaxBytes(), new Metrics());
    Gateway gateway = new Gateway(settings, clock, telemetry);
    Endpoint notFound = (rq, rs, ex) -> {
      throw new GatewayException(ErrorKind.NOT_FOUND, "unknown route: " + rq.getMethod() + " " + rq.getRequestURI());
    };
    return new Ops(gateway, telemetry, notFound, notFound);
  }
}
