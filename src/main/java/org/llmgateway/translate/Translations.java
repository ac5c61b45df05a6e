package org.llmgateway.translate;

import org.llmgateway.config.Dialect;

/** The translation between a client's dialect and a provider's, fresh for each attempt. */
final class Translations {
  private Translations() {}

  static Translation between(Dialect client, Dialect provider) {
    return switch (client) {
      case ANTHROPIC ->
          switch (provider) {
            case OPENAI -> new MessagesOverChat();
            case GEMINI -> new MessagesOverChat().then(new ChatOverGemini());
            case ANTHROPIC -> throw same(client);
          };
      case OPENAI ->
          switch (provider) {
            case ANTHROPIC -> new ChatOverMessages();
            case GEMINI -> new ChatOverGemini();
            case OPENAI -> throw same(client);
          };
      case GEMINI -> throw new IllegalStateException("the Gemini dialect is not a front door");
    };
  }

  private static IllegalStateException same(Dialect d) {
    return new IllegalStateException("no translation needed within " + d);
  }
}
