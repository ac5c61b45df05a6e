package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Tool call ids for Gemini calls, which the client sends back with the call's result. Gemini names
 * calls only sometimes, and wants the call's {@code thoughtSignature} back in the next turn (Gemini
 * 3 refuses a history without it), but OpenAI and Anthropic clients keep nothing but the id. So a
 * call that has no id of its own, or has a signature, gets a gateway id: {@link #PREFIX} then
 * base64url of {@code {"id","sig"}}, from which both are restored on the way back. Other ids pass
 * unchanged. Base64url keeps the id within Anthropic's {@code [A-Za-z0-9_-]}.
 */
final class GeminiCallIds {
  static final String PREFIX = "call_gw_";

  /**
   * What a gateway id carried: Gemini's own call id and the thought signature, each when there was
   * one.
   */
  record Restored(Optional<String> id, Optional<String> signature) {}

  private GeminiCallIds() {}

  /**
   * The id the client sees for a call with Gemini's {@code id} (may be empty) and {@code signature}
   * (may be empty).
   */
  static String encode(String id, String signature, String nonce) {
    if (signature.isEmpty() && !id.isEmpty()) {
      return id;
    }
    ObjectNode o = Jackson.object();
    if (!id.isEmpty()) {
      o.put("id", id);
    }
    if (!signature.isEmpty()) {
      o.put("sig", signature);
    }
    o.put("n", nonce); // unique per call even without id and signature
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Jackson.bytes(o));
  }

  /**
   * Gemini's id and signature for an id the client sent back; a foreign id is Gemini's id as it is.
   */
  static Restored decode(String clientId) {
    if (!clientId.startsWith(PREFIX)) {
      return new Restored(Optional.of(clientId), Optional.empty());
    }
    try {
      JsonNode o =
          Jackson.parse(
              new String(
                  Base64.getUrlDecoder().decode(clientId.substring(PREFIX.length())),
                  StandardCharsets.UTF_8));
      if (o != null && o.isObject()) {
        return new Restored(
            Optional.ofNullable(o.path("id").textValue()),
            Optional.ofNullable(o.path("sig").textValue()));
      }
    } catch (IllegalArgumentException notOurs) {
      // not base64: an id that only looks like ours
    }
    return new Restored(Optional.empty(), Optional.empty());
  }
}
