package org.llmgateway.relay;

import java.nio.charset.StandardCharsets;
import org.llmgateway.observe.Exchange;

/**
 * Finds token usage in response bytes without parsing JSON: looks for {@code "prompt_tokens":N} and
 * friends (or the Responses API's {@code input_tokens}/{@code output_tokens}) in a chunk that
 * mentions {@code "usage"}.
 */
final class Usage {
  private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

  private Usage() {}

  static void scan(byte[] b, int off, int len, Exchange exchange) {
    if (indexOf(b, off, len, USAGE) < 0) {
      return;
    }
    long prompt = number(b, off, len, "\"prompt_tokens\"");
    if (prompt < 0) {
      prompt = number(b, off, len, "\"input_tokens\"");
    }
    long completion = number(b, off, len, "\"completion_tokens\"");
    if (completion < 0) {
      completion = number(b, off, len, "\"output_tokens\"");
    }
    long total = number(b, off, len, "\"total_tokens\"");
    if (prompt >= 0 || total >= 0) {
      exchange.usage(prompt, completion, total >= 0 ? total : prompt + Math.max(0, completion));
    }
  }

  /** The {@code input_tokens} of a Messages stream's first event (message_start), or -1. */
  static long inputTokens(byte[] firstEvent, int length) {
    return number(firstEvent, 0, length, "\"input_tokens\"");
  }

  /**
   * Usage of an Anthropic Messages stream: output tokens from the last {@code message_delta} in
   * {@code tail} (which newer API versions also give input tokens in), else input tokens from
   * {@code message_start}, the first event.
   */
  static void scanMessages(
      long firstEventInputTokens, byte[] tail, int tailLength, Exchange exchange) {
    long input = number(tail, 0, tailLength, "\"input_tokens\"");
    if (input < 0) {
      input = firstEventInputTokens;
    }
    long output = number(tail, 0, tailLength, "\"output_tokens\"");
    if (input >= 0 || output >= 0) {
      exchange.usage(input, output, Math.max(0, input) + Math.max(0, output));
    }
  }

  private static long number(byte[] b, int off, int len, String key) {
    int at = indexOf(b, off, len, key.getBytes(StandardCharsets.US_ASCII));
    if (at < 0) {
      return -1;
    }
    int i = at + key.length();
    int end = off + len;
    while (i < end && (b[i] == ' ' || b[i] == ':')) {
      i++;
    }
    long n = 0;
    int digits = 0;
    while (i < end && b[i] >= '0' && b[i] <= '9' && digits < 18) {
      n = n * 10 + (b[i] - '0');
      i++;
      digits++;
    }
    return digits == 0 ? -1 : n;
  }

  static int indexOf(byte[] b, int off, int len, byte[] needle) {
    int last = off + len - needle.length;
    outer:
    for (int i = off; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (b[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
