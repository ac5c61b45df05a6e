package org.llmgateway.config;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a provider type brings when its entry leaves a field out: base URL, endpoints, how the key
 * is sent, and the headers its API requires. Native APIs get their public defaults, so {@code type:
 * anthropic} plus a key is enough.
 */
final class NativeDefaults {
  /**
   * The Messages API version sent when neither the provider's {@code headers} nor the client set
   * one.
   */
  static final String ANTHROPIC_VERSION = "2023-06-01";

  private static final Auth ANTHROPIC_AUTH = new Auth("header", "x-api-key", "");
  private static final Auth GEMINI_AUTH = new Auth("header", "x-goog-api-key", "");

  private NativeDefaults() {}

  static Optional<String> baseUrl(ProviderType type) {
    return switch (type) {
      case ANTHROPIC -> Optional.of("https://api.anthropic.com");
      case GEMINI -> Optional.of("https://generativelanguage.googleapis.com");
      case OPENAI_COMPAT, MOCK -> Optional.empty();
    };
  }

  static Map<Operation, String> endpoints(ProviderType type) {
    Map<Operation, String> out = new EnumMap<>(Operation.class);
    switch (type) {
      case OPENAI_COMPAT -> out.put(Operation.CHAT_COMPLETIONS, "/v1/chat/completions");
      case MOCK -> {
        // the mock speaks the OpenAI operations natively; Messages reach it through translation
        for (Operation op : Operation.values()) {
          if (op.frontDoor() && op.dialect() == Dialect.OPENAI) {
            out.put(op, "/v1" + op.pathSuffix());
          }
        }
      }
      case ANTHROPIC -> {
        out.put(Operation.MESSAGES, "/v1/messages");
        out.put(Operation.COUNT_TOKENS, "/v1/messages/count_tokens");
      }
      case GEMINI -> {
        out.put(Operation.GENERATE_CONTENT, "/v1beta/models/{model}:generateContent");
        out.put(
            Operation.STREAM_GENERATE_CONTENT,
            "/v1beta/models/{model}:streamGenerateContent?alt=sse");
      }
    }
    return Map.copyOf(out);
  }

  static Auth auth(ProviderType type) {
    return switch (type) {
      case ANTHROPIC -> ANTHROPIC_AUTH;
      case GEMINI -> GEMINI_AUTH;
      case OPENAI_COMPAT, MOCK -> Auth.DEFAULT;
    };
  }

  /**
   * The configured headers, plus {@code anthropic-version} for Anthropic providers that do not set
   * it.
   */
  static Map<String, String> headers(ProviderType type, Map<String, String> configured) {
    if (type != ProviderType.ANTHROPIC
        || configured.keySet().stream()
            .anyMatch(h -> h.toLowerCase(Locale.ROOT).equals("anthropic-version"))) {
      return configured;
    }
    Map<String, String> out = new LinkedHashMap<>(configured);
    out.put("anthropic-version", ANTHROPIC_VERSION);
    return out;
  }
}
