package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Anthropic Messages event stream as OpenAI chat completion chunks: the role on {@code
 * message_start}, text and thinking deltas as {@code content} and {@code reasoning_content}, each
 * {@code tool_use} block as one tool call (numbered in order, its id kept) whose {@code
 * input_json_delta}s become argument deltas in order, the stop reason as {@code finish_reason},
 * then usage and {@code [DONE]} on {@code message_stop}. Usage goes in its own chunk when the
 * client asked ({@code stream_options.include_usage}), else on the finish chunk. {@code ping} and
 * signatures have no chunk form; an {@code error} event becomes an error chunk.
 */
final class ChatFromMessagesStream implements StreamTranslator {
  private final boolean includeUsage;
  private final Map<Integer, Integer> toolIndexOfBlock = new HashMap<>();
  private String id = "";
  private String model = "";
  private final long created = System.currentTimeMillis() / 1000;
  private TokenUsage usage = new TokenUsage(0, 0, 0, 0);
  private String finishReason;

  ChatFromMessagesStream(boolean includeUsage) {
    this.includeUsage = includeUsage;
  }

  @Override
  public void event(SseEvent event, List<SseEvent> out) throws IOException {
    JsonNode e = Jackson.parse(event.data());
    if (e == null || !e.isObject()) {
      throw new IOException("stream event is not a JSON object");
    }
    String type = e.path("type").asText(event.name());
    switch (type) {
      case "message_start" -> {
        JsonNode m = e.path("message");
        id = m.path("id").asText();
        model = m.path("model").asText();
        usage = TokenUsage.fromAnthropic(m.path("usage"));
        out.add(chunk(Jackson.object().put("role", "assistant").put("content", ""), null));
      }
      case "content_block_start" -> {
        JsonNode block = e.path("content_block");
        if (block.path("type").asText().equals("tool_use")) {
          int n = toolIndexOfBlock.size();
          toolIndexOfBlock.put(e.path("index").asInt(), n);
          ObjectNode call =
              Jackson.object()
                  .put("index", n)
                  .put("id", block.path("id").asText())
                  .put("type", "function");
          call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
          ObjectNode delta = Jackson.object();
          delta.putArray("tool_calls").add(call);
          out.add(chunk(delta, null));
        } else if (block.path("type").asText().equals("text")
            && !block.path("text").asText().isEmpty()) {
          out.add(chunk(Jackson.object().put("content", block.path("text").asText()), null));
        }
      }
      case "content_block_delta" -> blockDelta(e, out);
      case "message_delta" -> {
        JsonNode u = e.path("usage");
        if (u.isObject()) {
          usage =
              u.has("input_tokens")
                  ? TokenUsage.fromAnthropic(u)
                  : usage.withOutput(u.path("output_tokens").asLong());
        }
        if (e.path("delta").path("stop_reason").isTextual()) {
          finishReason =
              FinishReasons.openAiFromAnthropic(e.path("delta").path("stop_reason").asText());
        }
      }
      case "message_stop" -> {
        ObjectNode finish =
            chunkNode(Jackson.object(), finishReason == null ? "stop" : finishReason);
        if (!includeUsage) {
          finish.set("usage", usage.toOpenAi());
        }
        out.add(new SseEvent("", Jackson.string(finish)));
        if (includeUsage) {
          ObjectNode u = base();
          u.putArray("choices");
          u.set("usage", usage.toOpenAi());
          out.add(SseEvent.data(Jackson.string(u)));
        }
        out.add(SseEvent.data("[DONE]"));
      }
      case "error" -> {
        ObjectNode err = Jackson.object();
        err.putObject("error")
            .put("message", e.path("error").path("message").asText())
            .put("type", e.path("error").path("type").asText("api_error"))
            .putNull("code");
        out.add(SseEvent.data(Jackson.string(err)));
      }
      default -> {} // ping, content_block_stop: nothing to say in chunks
    }
  }

  private void blockDelta(JsonNode e, List<SseEvent> out) {
    JsonNode d = e.path("delta");
    switch (d.path("type").asText()) {
      case "text_delta" ->
          out.add(chunk(Jackson.object().put("content", d.path("text").asText()), null));
      case "thinking_delta" ->
          out.add(
              chunk(Jackson.object().put("reasoning_content", d.path("thinking").asText()), null));
      case "input_json_delta" -> {
        Integer n = toolIndexOfBlock.get(e.path("index").asInt());
        String partial = d.path("partial_json").asText();
        if (n != null && !partial.isEmpty()) {
          ObjectNode call = Jackson.object().put("index", n);
          call.putObject("function").put("arguments", partial);
          ObjectNode delta = Jackson.object();
          delta.putArray("tool_calls").add(call);
          out.add(chunk(delta, null));
        }
      }
      default -> {} // signature_delta, citations_delta
    }
  }

  private ObjectNode base() {
    return ChatChunks.base(id, created, model);
  }

  private SseEvent chunk(ObjectNode delta, String finish) {
    return SseEvent.data(Jackson.string(chunkNode(delta, finish)));
  }

  private ObjectNode chunkNode(ObjectNode delta, String finish) {
    return ChatChunks.withDelta(id, created, model, delta, finish);
  }

  @Override
  public void end(List<SseEvent> out) {
    // no message_stop means the upstream was cut: the relay ends the client's stream with an error
    // event
  }
}
