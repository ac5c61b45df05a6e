package org.llmgateway.error;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Writes the OpenAI error shape {@code {"error":{"message","type","code"}}}, the only error body the gateway makes. */
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
    if (response.isCommitted()) {
      return 0;
    }
    response.resetBuffer();
    byte[] body = body(e.kind(), e.getMessage(), e.code());
    response.setStatus(e.kind().status());
    e.headers().forEach(response::setHeader);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    return body.length;
  }
}
