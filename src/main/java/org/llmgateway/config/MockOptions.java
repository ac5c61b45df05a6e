package org.llmgateway.config;

/**
 * Behaviour of a {@code type: mock} provider: pause between stream events, size of embedding
 * vectors.
 */
public record MockOptions(int delayMs, int embeddingDimensions) {
  public static final MockOptions DEFAULT = new MockOptions(20, 16);
}
