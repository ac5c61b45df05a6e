package org.llmgateway.error;

import org.apache.logging.log4j.Level;

/**
 * The closed set of errors the gateway itself produces, each mapped here, and only here, to its
 * HTTP status, OpenAI error {@code type}, default {@code code} and log level.
 */
public enum ErrorKind {
  INVALID_REQUEST(400, "invalid_request_error", "invalid_request", Level.INFO),
  UNKNOWN_MODEL(400, "invalid_request_error", "model_not_found", Level.INFO),
  UNAUTHORIZED(401, "authentication_error", "invalid_api_key", Level.INFO),
  FORBIDDEN(403, "permission_error", "model_not_allowed", Level.INFO),
  NOT_FOUND(404, "invalid_request_error", "not_found", Level.DEBUG),
  METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed", Level.DEBUG),
  BODY_TOO_LARGE(413, "invalid_request_error", "request_too_large", Level.INFO),
  UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "unsupported_media_type", Level.INFO),
  /** The gateway key's own {@code rpm} was reached (OpenAI's type for it is "requests"). */
  RATE_LIMITED_REQUESTS(429, "requests", "rate_limit_exceeded", Level.INFO),
  /** The gateway key's own {@code tpm} was spent (OpenAI's type for it is "tokens"). */
  RATE_LIMITED_TOKENS(429, "tokens", "rate_limit_exceeded", Level.INFO),
  UPSTREAM_FAILED(502, "upstream_error", "upstream_request_failed", Level.WARN),
  NO_PROVIDER(503, "service_unavailable_error", "no_provider_available", Level.WARN),
  NOT_READY(503, "service_unavailable_error", "config_not_loaded", Level.WARN),
  TIMEOUT(504, "upstream_error", "gateway_timeout", Level.WARN),
  INTERNAL(500, "server_error", "internal_error", Level.ERROR);

  private final int status;
  private final String type;
  private final String code;
  private final Level level;

  ErrorKind(int status, String type, String code, Level level) {
    this.status = status;
    this.type = type;
    this.code = code;
    this.level = level;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public Level level() {
    return level;
  }
}
