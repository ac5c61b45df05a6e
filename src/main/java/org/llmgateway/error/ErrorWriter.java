package org.llmgateway.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the gateway's own errors: the OpenAI shape {@code {"error":{"message","type","code"}}}, or
 * at the Anthropic front door the Anthropic shape ({@link AnthropicError}).
 */
public final class ErrorWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private ErrorWriter() {}

  public static byte[] body(ErrorKind kind, String message, String code) {
    return body(kind.type(), message, code);
  }

  /** For errors raised by the container itself (bad HTTP), known only by status. */
  public static byte[] body(String type, String message, String code) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128 + message.length());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("error");
      g.writeStringField("message", message);
      g.writeStringField("type", type);
      if (code == null) {
        g.writeNullField("code");
      } else {
        g.writeStringField("code", code);
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes {@code e} unless the response is already committed; returns the bytes written. */
  public static int write(HttpServletResponse response, GatewayException e) throws IOException {
    return write(response, e, ErrorShape.OPENAI);
  }

  /** The status {@code e} gets at a front door whose clients read {@code shape}. */
  public static int status(GatewayException e, ErrorShape shape) {
    return shape == ErrorShape.ANTHROPIC ? AnthropicError.status(e.kind()) : e.kind().status();
  }

  /** Writes {@code e} in the client's error {@code shape}, unless the response is committed. */
  public static int write(HttpServletResponse response, GatewayException e, ErrorShape shape)
      throws IOException {
    if (response.isCommitted()) {
      return 0;
    }
    response.resetBuffer();
    byte[] body =
        shape == ErrorShape.ANTHROPIC
            ? AnthropicError.body(AnthropicError.type(e.kind()), e.getMessage())
            : body(e.kind(), e.getMessage(), e.code());
    response.setStatus(status(e, shape));
    e.headers().forEach(response::setHeader);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    return body.length;
  }
}
