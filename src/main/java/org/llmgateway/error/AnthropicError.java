package org.llmgateway.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's own errors as the Anthropic Messages API answers them: {@code
 * {"type":"error","error":{"type", "message"}}} with Anthropic's status codes (500 {@code
 * api_error}, 504 {@code timeout_error}, 529 {@code overloaded_error} where an OpenAI client would
 * see 502, 504 and 503).
 */
public final class AnthropicError {
  private static final JsonFactory JSON = new JsonFactory();

  private AnthropicError() {}

  public static int status(ErrorKind kind) {
    return switch (kind) {
      case UPSTREAM_FAILED, INTERNAL -> 500;
      case NO_PROVIDER, NOT_READY -> 529;
      default -> kind.status();
    };
  }

  public static String type(ErrorKind kind) {
    return switch (kind) {
      case INVALID_REQUEST, UNKNOWN_MODEL, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE ->
          "invalid_request_error";
      case UNAUTHORIZED -> "authentication_error";
      case FORBIDDEN -> "permission_error";
      case NOT_FOUND -> "not_found_error";
      case BODY_TOO_LARGE -> "request_too_large";
      case RATE_LIMITED_REQUESTS, RATE_LIMITED_TOKENS -> "rate_limit_error";
      case UPSTREAM_FAILED, INTERNAL -> "api_error";
      case NO_PROVIDER, NOT_READY -> "overloaded_error";
      case TIMEOUT -> "timeout_error";
    };
  }

  /**
   * The error type Anthropic uses for an HTTP status (for upstream errors translated into this
   * shape).
   */
  public static String typeForStatus(int status) {
    return switch (status) {
      case 400, 405, 409, 415, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  public static byte[] body(String type, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(96 + message.length());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "error");
      g.writeObjectFieldStart("error");
      g.writeStringField("type", type);
      g.writeStringField("message", message);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A complete SSE {@code error} event, as the Messages API ends a stream that failed. */
  public static byte[] event(String type, String message) {
    byte[] data = body(type, message);
    byte[] head = "event: error\ndata: ".getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + data.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(data, 0, out, head.length, data.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return out;
  }
}
