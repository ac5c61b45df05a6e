package org.llmgateway.config;

import java.util.Optional;

/** How the gateway talks to a provider: the provider's native dialect for conversations. */
public enum ProviderType {
  /**
   * Any OpenAI-compatible HTTP API (OpenAI, OpenRouter, Gemini's compat endpoint, GLM, Bailian,
   * ...).
   */
  OPENAI_COMPAT("openai_compat", Dialect.OPENAI),
  /**
   * The built-in in-process mock: answers offline, for demos, tests and benchmarks of the gateway
   * itself.
   */
  MOCK("mock", Dialect.OPENAI),
  /** The native Anthropic Messages API ({@code x-api-key}, {@code anthropic-version}). */
  ANTHROPIC("anthropic", Dialect.ANTHROPIC),
  /** Gemini's native {@code generateContent} API ({@code x-goog-api-key}). */
  GEMINI("gemini", Dialect.GEMINI);

  private final String configName;
  private final Dialect dialect;

  ProviderType(String configName, Dialect dialect) {
    this.configName = configName;
    this.dialect = dialect;
  }

  public String configName() {
    return configName;
  }

  /** The dialect of this type's own conversation endpoint. */
  public Dialect dialect() {
    return dialect;
  }

  public static Optional<ProviderType> fromConfigName(String name) {
    for (ProviderType t : values()) {
      if (t.configName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
