package org.llmgateway.config;

/**
 * A wire protocol for conversations: the OpenAI chat completions API, the Anthropic Messages API,
 * or Gemini's native {@code generateContent}. Every {@link Operation} belongs to one; a request
 * whose operation and target operation share a dialect is forwarded untranslated.
 */
public enum Dialect {
  OPENAI("OpenAI chat completions API"),
  ANTHROPIC("Anthropic Messages API"),
  GEMINI("Gemini generateContent API");

  private final String displayName;

  Dialect(String displayName) {
    this.displayName = displayName;
  }

  /**
   * How error messages name the dialect ("cannot be expressed in the Gemini generateContent API").
   */
  public String displayName() {
    return displayName;
  }
}
