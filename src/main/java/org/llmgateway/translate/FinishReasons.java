package org.llmgateway.translate;

/** Why a turn ended, in each dialect, mapped as a table. */
final class FinishReasons {
  private FinishReasons() {}

  /** Anthropic {@code stop_reason} as an OpenAI {@code finish_reason}. */
  static String openAiFromAnthropic(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop"; // end_turn, stop_sequence, pause_turn
    };
  }

  /** OpenAI {@code finish_reason} as an Anthropic {@code stop_reason}. */
  static String anthropicFromOpenAi(String finishReason) {
    if (finishReason == null) {
      return "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  /**
   * Gemini {@code finishReason} as an OpenAI {@code finish_reason}; a turn that called functions
   * ends in tool_calls.
   */
  static String openAiFromGemini(String finishReason, boolean calledFunctions) {
    if (finishReason == null) {
      return null;
    }
    if (calledFunctions && finishReason.equals("STOP")) {
      return "tool_calls";
    }
    return switch (finishReason) {
      case "MAX_TOKENS" -> "length";
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
          "content_filter";
      default -> "stop";
    };
  }
}
