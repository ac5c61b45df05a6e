package org.llmgateway.error;

import java.util.Map;

/**
 * A request the gateway answers itself with an OpenAI-style error. Thrown anywhere on the request
 * path and written by {@link ErrorWriter}. {@code code} overrides the kind's default; {@code
 * headers} are added to the response.
 */
public final class GatewayException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorKind kind;
  private final String code;
  private final transient Map<String, String> headers;

  public GatewayException(ErrorKind kind, String message) {
    this(kind, message, kind.code(), Map.of());
  }

  public GatewayException(ErrorKind kind, String message, String code) {
    this(kind, message, code, Map.of());
  }

  public GatewayException(
      ErrorKind kind, String message, String code, Map<String, String> headers) {
    super(message, null, false, false); // no stack trace: these are answers, not bugs
    this.kind = kind;
    this.code = code;
    this.headers = headers;
  }

  public ErrorKind kind() {
    return kind;
  }

  public String code() {
    return code;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
