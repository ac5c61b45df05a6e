package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gemini {@code GenerateContentResponse}s as chat completions: whole ({@link #whole}) or as a
 * stream of chunks, one per Gemini event. Text parts become {@code content}, thought parts {@code
 * reasoning_content}, each {@code functionCall} one tool call with its arguments in one delta
 * (Gemini sends calls whole), numbered in order. Call ids come from {@link GeminiCallIds}, which
 * keeps Gemini's own id and thought signature for the way back. Gemini's stream has no end marker:
 * {@code [DONE]} follows the end of a stream that had a finish reason.
 */
final class ChatFromGeminiStream implements StreamTranslator {
  private final String requestedModel;
  private final boolean includeUsage;
  private final String nonce =
      Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + "-";
  private final long created = System.currentTimeMillis() / 1000;
  private boolean started;
  private boolean finished;
  private int calls;
  private String id = "";
  private String model;
  private TokenUsage usage;

  ChatFromGeminiStream(String requestedModel, boolean includeUsage) {
    this.requestedModel = requestedModel;
    this.model = requestedModel;
    this.includeUsage = includeUsage;
  }

  ObjectNode whole(ObjectNode in) throws IOException {
    JsonNode candidate = candidate(in);
    ObjectNode out =
        Jackson.object()
            .put("id", in.path("responseId").asText("chatcmpl-gemini"))
            .put("object", "chat.completion")
            .put("created", created)
            .put("model", in.path("modelVersion").asText(requestedModel));
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode msg = choice.putObject("message").put("role", "assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder thought = new StringBuilder();
    ArrayNode toolCalls = Jackson.array();
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        toolCalls.add(call(part, false));
      } else if (part.path("thought").asBoolean(false)) {
        thought.append(part.path("text").asText());
      } else if (part.has("text")) {
        text.append(part.path("text").asText());
      }
    }
    if (text.isEmpty() && !toolCalls.isEmpty()) {
      msg.putNull("content");
    } else {
      msg.put("content", text.toString());
    }
    if (!thought.isEmpty()) {
      msg.put("reasoning_content", thought.toString());
    }
    if (!toolCalls.isEmpty()) {
      msg.set("tool_calls", toolCalls);
    }
    choice.put(
        "finish_reason",
        FinishReasons.openAiFromGemini(
            candidate.path("finishReason").asText("STOP"), !toolCalls.isEmpty()));
    out.set("usage", TokenUsage.fromGemini(in.path("usageMetadata")).toOpenAi());
    return out;
  }

  private static JsonNode candidate(JsonNode in) throws IOException {
    JsonNode candidate = in.path("candidates").path(0);
    if (candidate.isMissingNode()) {
      String blocked = in.path("promptFeedback").path("blockReason").asText("");
      throw new IOException(
          blocked.isEmpty()
              ? "Gemini answered without candidates"
              : "Gemini blocked the prompt: " + blocked);
    }
    return candidate;
  }

  private ObjectNode call(JsonNode part, boolean stream) {
    JsonNode fc = part.get("functionCall");
    ObjectNode call = Jackson.object();
    if (stream) {
      call.put("index", calls);
    }
    call.put(
            "id",
            GeminiCallIds.encode(
                fc.path("id").asText(""), part.path("thoughtSignature").asText(""), nonce + calls))
        .put("type", "function");
    call.putObject("function")
        .put("name", fc.path("name").asText())
        .put("arguments", Jackson.string(fc.has("args") ? fc.get("args") : Jackson.object()));
    calls++;
    return call;
  }

  @Override
  public void event(SseEvent event, List<SseEvent> out) throws IOException {
    JsonNode in = Jackson.parse(event.data());
    if (in == null || !in.isObject()) {
      throw new IOException("stream event is not a JSON object");
    }
    if (in.has("error")) {
      ObjectNode err = Jackson.object();
      err.putObject("error")
          .put("message", in.path("error").path("message").asText())
          .put(
              "type",
              in.path("error").path("status").asText("upstream_error").toLowerCase(Locale.ROOT))
          .put("code", in.path("error").path("status").asText(""));
      out.add(SseEvent.data(Jackson.string(err)));
      return; // no finish reason follows: the relay ends the stream as broken
    }
    if (in.has("usageMetadata")) {
      usage = TokenUsage.fromGemini(in.get("usageMetadata"));
    }
    if (!started) {
      started = true;
      id = in.path("responseId").asText("chatcmpl-gemini");
      model = in.path("modelVersion").asText(requestedModel);
      out.add(chunk(Jackson.object().put("role", "assistant").put("content", ""), null));
    }
    JsonNode candidate = in.path("candidates").path(0);
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.has("functionCall")) {
        ObjectNode delta = Jackson.object();
        delta.putArray("tool_calls").add(call(part, true));
        out.add(chunk(delta, null));
      } else if (part.has("text") && !part.path("text").asText().isEmpty()) {
        String field = part.path("thought").asBoolean(false) ? "reasoning_content" : "content";
        out.add(chunk(Jackson.object().put(field, part.path("text").asText()), null));
      }
    }
    if (candidate.path("finishReason").isTextual() && !finished) {
      finished = true;
      ObjectNode finish =
          chunkNode(
              Jackson.object(),
              FinishReasons.openAiFromGemini(candidate.path("finishReason").asText(), calls > 0));
      if (!includeUsage && usage != null) {
        finish.set("usage", usage.toOpenAi());
      }
      out.add(SseEvent.data(Jackson.string(finish)));
    }
  }

  @Override
  public void end(List<SseEvent> out) {
    if (!finished) {
      return; // cut before a finish reason: the relay reports the broken stream
    }
    if (includeUsage && usage != null) {
      ObjectNode u = base();
      u.putArray("choices");
      u.set("usage", usage.toOpenAi());
      out.add(SseEvent.data(Jackson.string(u)));
    }
    out.add(SseEvent.data("[DONE]"));
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
}
