package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.llmgateway.config.Dialect;
import org.llmgateway.error.AnthropicError;

/**
 * An upstream error body in the client's error shape. The status is kept (the failover classifier
 * decided on it); the message is kept, and the provider's own code ({@code insufficient_quota},
 * {@code RESOURCE_EXHAUSTED}) is carried along so neither the client nor the classifier loses it.
 */
final class ErrorTranslation {
  private static final int RAW_TEXT_MAX = 500;

  private ErrorTranslation() {}

  static byte[] translate(int status, byte[] body, Dialect client) {
    String message = null;
    String code = null;
    String type = null;
    try {
      JsonNode root = Jackson.MAPPER.readTree(body);
      JsonNode error = root == null ? null : root.get("error");
      if (error != null && error.isObject()) {
        message = text(error.get("message"));
        type = text(error.get("type"));
        code = text(error.get("status")); // Gemini's RESOURCE_EXHAUSTED, INVALID_ARGUMENT, ...
        if (code == null) {
          code = text(error.get("code"));
        }
      } else if (error != null && error.isTextual()) {
        message = error.asText();
      }
    } catch (IOException | RuntimeException notJson) {
      // an HTML or plain-text error page: its start becomes the message
    }
    if (message == null) {
      String raw = new String(body, StandardCharsets.UTF_8).strip();
      message =
          "upstream answered HTTP "
              + status
              + (raw.isEmpty()
                  ? ""
                  : ": "
                      + (raw.length() > RAW_TEXT_MAX
                          ? raw.substring(0, RAW_TEXT_MAX) + "..."
                          : raw));
    }
    if (client == Dialect.ANTHROPIC) {
      String detail = code != null ? code : type;
      boolean said =
          detail == null
              || message.toLowerCase(Locale.ROOT).contains(detail.toLowerCase(Locale.ROOT));
      return AnthropicError.body(
          AnthropicError.typeForStatus(status), said ? message : message + " (" + detail + ")");
    }
    ObjectNode out = Jackson.MAPPER.createObjectNode();
    ObjectNode e = out.putObject("error");
    e.put("message", message);
    e.put(
        "type",
        type != null ? type : code != null ? code.toLowerCase(Locale.ROOT) : "upstream_error");
    if (code != null) {
      e.put("code", code);
    } else {
      e.putNull("code");
    }
    return Jackson.bytes(out);
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
  }
}
