package org.llmgateway.observe;

/** Prometheus metrics of the gateway (filled in by the operations work). */
public final class Metrics {
  void attempt(AttemptRecord attempt) {}

  void cooledDown(String provider, String keyId, long seconds, String reason) {}

  void streamOpened() {}

  void streamClosed() {}

  void finished(Exchange exchange) {}
}
