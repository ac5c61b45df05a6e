package org.llmgateway.error;

/**
 * The error body shape a front door's clients read: OpenAI's or Anthropic's ({@link
 * AnthropicError}).
 */
public enum ErrorShape {
  OPENAI,
  ANTHROPIC
}
