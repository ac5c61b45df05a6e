package org.llmgateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes small JSON documents the gateway produces itself (model lists, health, admin views). */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static int write(HttpServletResponse response, int status, Object value)
      throws IOException {
    return write(response, status, MAPPER.writeValueAsBytes(value));
  }

  /** Writes an already serialised JSON body; returns its length. */
  public static int write(HttpServletResponse response, int status, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    return body.length;
  }
}
