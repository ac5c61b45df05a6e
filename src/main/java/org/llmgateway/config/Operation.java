package org.llmgateway.config;

import java.util.Optional;

/** An OpenAI-style operation a provider may serve, named as in a provider's {@code endpoints} map. */
public enum Operation {
  CHAT_COMPLETIONS("chat_completions", "/chat/completions"),
  EMBEDDINGS("embeddings", "/embeddings"),
  COMPLETIONS("completions", "/completions"),
  RESPONSES("responses", "/responses");

  private final String configName;
  private final String pathSuffix;

  Operation(String configName, String pathSuffix) {
    this.configName = configName;
    this.pathSuffix = pathSuffix;
  }

  /** The key in a provider's {@code endpoints} map. */
  public String configName() {
    return configName;
  }

  /** The path suffix that selects this operation ({@code /v1/chat/completions} ends in {@code /chat/completions}). */
  public String pathSuffix() {
    return pathSuffix;
  }

  public static Optional<Operation> fromConfigName(String name) {
    for (Operation op : values()) {
      if (op.configName.equals(name)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  /** The operation a request path asks for; chat completions win over legacy completions. */
  public static Optional<Operation> fromPath(String path) {
    if (path.endsWith(CHAT_COMPLETIONS.pathSuffix)) {
      return Optional.of(CHAT_COMPLETIONS);
    }
    for (Operation op : values()) {
      if (path.endsWith(op.pathSuffix)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
