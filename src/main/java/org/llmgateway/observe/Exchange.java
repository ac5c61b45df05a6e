package org.llmgateway.observe;

import java.util.Optional;

/**
 * What happened to one client request, filled in along the request path and handed to {@link Observer#finished} at
 * the end. Owned by the request's thread; never shared while it is being filled.
 */
public final class Exchange {
  public final String requestId;
  public final long startNanos;
  public final long startMillis;
  public String clientAddress = "";
  public String method = "";
  public String path = "";
  public String route = "other";
  public int status;
  public long bytesOut;
  public String inputModel = "";
  public String model = "";
  public String provider = "";
  public String providerModel = "";
  public String keyId = "";
  public int attempts;
  public boolean stream;
  public long ttfbNanos = -1;
  public long endNanos;
  public int upstreamStatus;
  public String errorType = "";
  public String errorMessage = "";
  public String gatewayKeyId = "";
  public String tenantId = "";
  public long promptTokens = -1;
  public long completionTokens = -1;
  public long totalTokens = -1;

  public Exchange(String requestId, long startNanos, long startMillis) {
    this.requestId = requestId;
    this.startNanos = startNanos;
    this.startMillis = startMillis;
  }

  public double durationMs() {
    return (endNanos - startNanos) / 1e6;
  }

  public Optional<Double> ttfbMs() {
    return ttfbNanos < 0 ? Optional.empty() : Optional.of((ttfbNanos - startNanos) / 1e6);
  }

  public void markFirstByte() {
    if (ttfbNanos < 0) {
      ttfbNanos = System.nanoTime();
    }
  }

  public void usage(long prompt, long completion, long total) {
    promptTokens = prompt;
    completionTokens = completion;
    totalTokens = total;
  }

  public void error(String type, String message) {
    errorType = type;
    errorMessage = message;
  }
}
