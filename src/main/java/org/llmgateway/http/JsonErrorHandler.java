package org.llmgateway.http;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.llmgateway.error.ErrorWriter;

/**
 * Errors Jetty raises before the servlet runs (malformed HTTP, headers too large, ...) in the same
 * OpenAI JSON shape as the gateway's own, never an HTML page or a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
    String type = code >= 500 ? "server_error" : "invalid_request_error";
    String errorCode = HttpStatus.getMessage(code).toLowerCase(Locale.ROOT).replace(' ', '_');
    byte[] body = ErrorWriter.body(type, text, errorCode);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
