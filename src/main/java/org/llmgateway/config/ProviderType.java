package org.llmgateway.config;

import java.util.Optional;

/** How the gateway talks to a provider. */
public enum ProviderType {
  /** Any OpenAI-compatible HTTP API (OpenAI, OpenRouter, Gemini's compat endpoint, GLM, Bailian, ...). */
  OPENAI_COMPAT("openai_compat"),
  /** The built-in in-process mock: answers offline, for demos, tests and benchmarks of the gateway itself. */
  MOCK("mock");

  private final String configName;

  ProviderType(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
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
