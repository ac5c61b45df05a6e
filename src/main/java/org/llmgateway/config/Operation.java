package org.llmgateway.config;

import java.util.Optional;

/**
 * An operation a provider may serve, named as in a provider's {@code endpoints} map. Front-door
 * operations have a path suffix that selects them; Gemini's two generate operations are
 * provider-side only (reached by translation).
 */
public enum Operation {
  CHAT_COMPLETIONS("chat_completions", "/chat/completions", Dialect.OPENAI),
  EMBEDDINGS("embeddings", "/embeddings", Dialect.OPENAI),
  COMPLETIONS("completions", "/completions", Dialect.OPENAI),
  RESPONSES("responses", "/responses", Dialect.OPENAI),
  MESSAGES("messages", "/messages", Dialect.ANTHROPIC),
  COUNT_TOKENS("count_tokens", "/messages/count_tokens", Dialect.ANTHROPIC),
  GENERATE_CONTENT("generate_content", null, Dialect.GEMINI),
  STREAM_GENERATE_CONTENT("stream_generate_content", null, Dialect.GEMINI);

  private final String configName;
  private final String pathSuffix;
  private final Dialect dialect;

  /** Whether a {@code messages} field of this operation's requests must be an array. */
  public boolean takesMessages() {
    return this == CHAT_COMPLETIONS || this == MESSAGES || this == COUNT_TOKENS;
  }

  Operation(String configName, String pathSuffix, Dialect dialect) {
    this.configName = configName;
    this.pathSuffix = pathSuffix;
    this.dialect = dialect;
  }

  /** The key in a provider's {@code endpoints} map. */
  public String configName() {
    return configName;
  }

  /**
   * The path suffix that selects this operation ({@code /v1/chat/completions} ends in {@code
   * /chat/completions}).
   */
  public String pathSuffix() {
    return pathSuffix;
  }

  /** The wire protocol of this operation's bodies. */
  public Dialect dialect() {
    return dialect;
  }

  /** Whether clients can call this operation on the gateway. */
  public boolean frontDoor() {
    return pathSuffix != null;
  }

  /**
   * Whether this is a conversation, which any provider's own conversation operation can serve by
   * translation.
   */
  public boolean conversation() {
    return this == CHAT_COMPLETIONS || this == MESSAGES;
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
      if (op.frontDoor() && path.endsWith(op.pathSuffix)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
