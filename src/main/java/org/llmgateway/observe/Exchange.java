package org.llmgateway.observe;

import java.util.Optional;

/**
 * What happened to one client request, filled in along the request path and handed to {@link
 * Observer#finished} at the end. Each stage records what it owns through one method (the edge the
 * request line and the final status, the endpoint the route and models, the relay each attempt and
 * the bytes it sent); only this package reads the fields. Owned by the request's thread; never
 * shared while it is being filled.
 */
public final class Exchange {
  public final String requestId;
  public final long startNanos;
  public final long startMillis;
  String clientAddress = "";
  String method = "";
  String path = "";
  String route = "other";
  int status;
  long bytesOut;
  String inputModel = "";
  String model = "";
  String provider = "";
  String providerModel = "";
  String keyId = "";
  int attempts;
  boolean stream;
  long ttfbNanos = -1;
  long endNanos;
  int upstreamStatus;
  String errorType = "";
  String errorMessage = "";
  String gatewayKeyId = "";
  String tenantId = "";
  long promptTokens = -1;
  long completionTokens = -1;
  long totalTokens = -1;

  public Exchange(String requestId, long startNanos, long startMillis) {
    this.requestId = requestId;
    this.startNanos = startNanos;
    this.startMillis = startMillis;
  }

  /** The edge: the request line and the client. */
  public void request(String method, String path, String clientAddress) {
    this.method = method;
    this.path = path;
    this.clientAddress = clientAddress;
  }

  /** The endpoint: which route (for metrics) served the request. */
  public void route(String route) {
    this.route = route;
  }

  /** The endpoint: the model as the client named it, and whether it asked for a stream. */
  public void requested(String inputModel, boolean stream) {
    this.inputModel = inputModel;
    this.stream = stream;
  }

  /** The endpoint: the canonical model the request resolved to. */
  public void model(String canonical) {
    this.model = canonical;
  }

  /** Client authentication: the gateway key used and its tenant. */
  public void gatewayKey(String keyId, String tenantId) {
    this.gatewayKeyId = keyId;
    this.tenantId = tenantId;
  }

  /** The relay: an attempt begins (the last one is what the logs show). */
  public void attempt(int number, String provider, String keyId, String providerModel) {
    this.attempts = number;
    this.provider = provider;
    this.keyId = keyId;
    this.providerModel = providerModel;
  }

  /** The relay: the status of the last upstream answer. */
  public void upstreamStatus(int status) {
    this.upstreamStatus = status;
  }

  /** Bytes of the response body sent to the client. */
  public void sent(long bytes) {
    this.bytesOut += bytes;
  }

  public long bytesSent() {
    return bytesOut;
  }

  /** A response reset before its commit: nothing counts as sent. */
  public void unsent() {
    this.bytesOut = 0;
  }

  /** The edge: the status the client got (or 499 when it left). */
  public void status(int status) {
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** Whether an error was recorded already. */
  public boolean failed() {
    return !errorType.isEmpty();
  }

  /** The edge: the request is over. */
  public void end() {
    this.endNanos = System.nanoTime();
  }

  /** The request id and line, for log messages: {@code "<id> POST /v1/chat/completions"}. */
  @Override
  public String toString() {
    return requestId + " " + method + " " + path;
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

  /** Token counts an upstream reported; -1 where it did not. */
  public record Tokens(long prompt, long completion, long total) {}

  public Tokens tokens() {
    return new Tokens(promptTokens, completionTokens, totalTokens);
  }

  public void error(String type, String message) {
    errorType = type;
    errorMessage = message;
  }
}
