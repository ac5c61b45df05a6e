package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Token counts in one neutral form, read from and written to each dialect. OpenAI's {@code
 * prompt_tokens} include cached tokens; Anthropic's {@code input_tokens} exclude cache reads and
 * writes, which it counts apart.
 *
 * @param input uncached input tokens
 * @param cacheRead input tokens read from the prompt cache
 * @param cacheWrite input tokens written to the prompt cache
 * @param output output tokens, reasoning included
 */
record TokenUsage(long input, long cacheRead, long cacheWrite, long output) {
  static TokenUsage fromOpenAi(JsonNode u) {
    long cached = u.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    long written = u.path("prompt_tokens_details").path("cache_creation_tokens").asLong(0);
    return new TokenUsage(
        Math.max(0, u.path("prompt_tokens").asLong(0) - cached - written),
        cached,
        written,
        u.path("completion_tokens").asLong(0));
  }

  static TokenUsage fromAnthropic(JsonNode u) {
    return new TokenUsage(
        u.path("input_tokens").asLong(0),
        u.path("cache_read_input_tokens").asLong(0),
        u.path("cache_creation_input_tokens").asLong(0),
        u.path("output_tokens").asLong(0));
  }

  static TokenUsage fromGemini(JsonNode u) {
    long cached = u.path("cachedContentTokenCount").asLong(0);
    return new TokenUsage(
        Math.max(0, u.path("promptTokenCount").asLong(0) - cached),
        cached,
        0,
        u.path("candidatesTokenCount").asLong(0) + u.path("thoughtsTokenCount").asLong(0));
  }

  /**
   * Anthropic's usage object, keeping an earlier input count when this one (a message_delta's) has
   * none.
   */
  TokenUsage withOutput(long output) {
    return new TokenUsage(input, cacheRead, cacheWrite, output);
  }

  ObjectNode toOpenAi() {
    long prompt = input + cacheRead + cacheWrite;
    ObjectNode u =
        Jackson.object()
            .put("prompt_tokens", prompt)
            .put("completion_tokens", output)
            .put("total_tokens", prompt + output);
    if (cacheRead > 0 || cacheWrite > 0) {
      ObjectNode details = u.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
      if (cacheWrite > 0) {
        details.put("cache_creation_tokens", cacheWrite);
      }
    }
    return u;
  }

  ObjectNode toAnthropic() {
    return Jackson.object()
        .put("input_tokens", input)
        .put("cache_creation_input_tokens", cacheWrite)
        .put("cache_read_input_tokens", cacheRead)
        .put("output_tokens", output);
  }
}
