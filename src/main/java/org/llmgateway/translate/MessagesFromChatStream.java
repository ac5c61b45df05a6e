package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llmgateway.error.AnthropicError;

/**
 * OpenAI chat completion chunks as an Anthropic Messages event stream: {@code message_start} and a
 * {@code ping}, then one content block per run of reasoning ({@code thinking}), text or tool call,
 * each opened, streamed in deltas as the chunks arrive ({@code input_json_delta} for tool
 * arguments, in order) and stopped, then {@code message_delta} with the stop reason and usage and
 * {@code message_stop} at {@code [DONE]}. An upstream error chunk becomes an {@code error} event.
 */
final class MessagesFromChatStream implements StreamTranslator {
  private boolean started;
  private boolean finished;
  private int blocks;
  private String open; // type of the open block, or null
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private String stopReason;
  private TokenUsage usage = new TokenUsage(0, 0, 0, 0);

  @Override
  public void event(SseEvent event, List<SseEvent> out) throws IOException {
    if (finished) {
      return;
    }
    String data = event.data().strip();
    if (data.equals("[DONE]")) {
      finish(out);
      return;
    }
    JsonNode chunk = Jackson.parse(data);
    if (chunk == null || !chunk.isObject()) {
      throw new IOException("stream chunk is not a JSON object");
    }
    if (chunk.has("error")) {
      JsonNode e = chunk.path("error");
      out.add(
          new SseEvent(
              "error",
              new String(
                  AnthropicError.body("api_error", e.path("message").asText(e.toString())),
                  StandardCharsets.UTF_8)));
      finished = true;
      return;
    }
    if (!started) {
      start(chunk, out);
    }
    if (chunk.path("usage").isObject()) {
      usage = TokenUsage.fromOpenAi(chunk.get("usage"));
    }
    for (JsonNode choice : chunk.path("choices")) {
      JsonNode delta = choice.path("delta");
      String reasoning = MessagesOverChat.reasoning(delta);
      if (!reasoning.isEmpty()) {
        ensure("thinking", out);
        delta(
            out,
            blocks - 1,
            Jackson.object().put("type", "thinking_delta").put("thinking", reasoning));
      }
      if (delta.path("content").isTextual() && !delta.path("content").asText().isEmpty()) {
        ensure("text", out);
        delta(
            out,
            blocks - 1,
            Jackson.object().put("type", "text_delta").put("text", delta.path("content").asText()));
      }
      for (JsonNode call : delta.path("tool_calls")) {
        toolCall(call, out);
      }
      if (choice.path("finish_reason").isTextual()) {
        stopReason = FinishReasons.anthropicFromOpenAi(choice.path("finish_reason").asText());
        close(out);
      }
    }
  }

  private void toolCall(JsonNode call, List<SseEvent> out) {
    int index = call.path("index").asInt(0);
    Integer block = toolBlocks.get(index);
    if (block == null) {
      close(out);
      block = blocks++;
      toolBlocks.put(index, block);
      open = "tool_use";
      ObjectNode start = Jackson.object().put("type", "content_block_start").put("index", block);
      start
          .putObject("content_block")
          .put("type", "tool_use")
          .put("id", call.path("id").asText())
          .put("name", call.path("function").path("name").asText())
          .putObject("input");
      out.add(event("content_block_start", start));
    }
    String args = call.path("function").path("arguments").asText("");
    if (!args.isEmpty()) {
      delta(out, block, Jackson.object().put("type", "input_json_delta").put("partial_json", args));
    }
  }

  private void start(JsonNode chunk, List<SseEvent> out) {
    started = true;
    ObjectNode start = Jackson.object().put("type", "message_start");
    ObjectNode message =
        start
            .putObject("message")
            .put("id", chunk.path("id").asText("msg_gateway"))
            .put("type", "message")
            .put("role", "assistant")
            .put("model", chunk.path("model").asText());
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", usage.toAnthropic());
    out.add(event("message_start", start));
    out.add(
        event(
            "ping",
            Jackson.object().put("type", "ping"))); // as the Messages API does early in a stream
  }

  /**
   * Opens a block of {@code type} unless one is open; a text or thinking run continues its block.
   */
  private void ensure(String type, List<SseEvent> out) {
    if (type.equals(open)) {
      return;
    }
    close(out);
    open = type;
    ObjectNode start = Jackson.object().put("type", "content_block_start").put("index", blocks++);
    ObjectNode block = start.putObject("content_block").put("type", type);
    if (type.equals("text")) {
      block.put("text", "");
    } else {
      block.put("thinking", "").put("signature", "");
    }
    out.add(event("content_block_start", start));
  }

  private void close(List<SseEvent> out) {
    if (open != null) {
      out.add(
          event(
              "content_block_stop",
              Jackson.object().put("type", "content_block_stop").put("index", blocks - 1)));
      open = null;
    }
  }

  private static void delta(List<SseEvent> out, int index, ObjectNode delta) {
    ObjectNode e = Jackson.object().put("type", "content_block_delta").put("index", index);
    e.set("delta", delta);
    out.add(event("content_block_delta", e));
  }

  private void finish(List<SseEvent> out) {
    if (!started) {
      start(Jackson.object(), out);
    }
    close(out);
    ObjectNode delta = Jackson.object().put("type", "message_delta");
    delta
        .putObject("delta")
        .put("stop_reason", stopReason == null ? "end_turn" : stopReason)
        .putNull("stop_sequence");
    delta.set("usage", usage.toAnthropic());
    out.add(event("message_delta", delta));
    out.add(event("message_stop", Jackson.object().put("type", "message_stop")));
    finished = true;
  }

  @Override
  public void end(List<SseEvent> out) {
    // some OpenAI-compatible providers end after the finish chunk without [DONE]; without a finish
    // it is a cut
    if (!finished && stopReason != null) {
      finish(out);
    }
  }

  private static SseEvent event(String name, ObjectNode data) {
    return new SseEvent(name, Jackson.string(data));
  }
}
