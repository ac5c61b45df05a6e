package org.llmgateway.relay;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.llmgateway.config.Model;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.observe.Exchange;
import org.llmgateway.routing.Plan;

/**
 * The failed attempts of one request, turned into its final answer when the plan runs out: the last
 * upstream HTTP answer if there was one, else 504 when the deadline passed, else 502 listing every
 * network-level failure, else 503 when nothing could be tried at all.
 */
final class Failures {
  private final List<String> networkFailures = new ArrayList<>(2);
  private ErrorAnswer lastAnswer;
  private boolean outOfTime;

  void add(AttemptResult.Failed failure) {
    failure
        .answer()
        .ifPresentOrElse(a -> lastAnswer = a, () -> networkFailures.add(failure.reason()));
    outOfTime |= failure.deadlinePassed();
  }

  void deadlinePassed() {
    outOfTime = true;
  }

  void answer(Plan plan, Model model, Exchange exchange, HttpServletResponse response)
      throws IOException {
    if (lastAnswer != null) {
      exchange.error("upstream_error", "all attempts failed; relaying the last upstream answer");
      lastAnswer.writeTo(response, exchange);
      return;
    }
    if (outOfTime) {
      throw new GatewayException(
          ErrorKind.TIMEOUT,
          "upstream request failed: the request deadline passed after "
              + plan.attempts()
              + " attempt(s)"
              + (networkFailures.isEmpty() ? "" : ": " + String.join("; ", networkFailures)));
    }
    if (!networkFailures.isEmpty()) {
      throw new GatewayException(
          ErrorKind.UPSTREAM_FAILED,
          "upstream request failed: " + String.join("; ", networkFailures));
    }
    List<String> why = plan.skipped();
    throw new GatewayException(
        ErrorKind.NO_PROVIDER,
        "no provider available"
            + (why.isEmpty() ? " for model " + model.name() : ": " + String.join("; ", why)));
  }
}
