package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.llmgateway.config.Dialect;

/**
 * An Anthropic Messages client served by an OpenAI chat completions provider: the request from
 * Messages to chat, the answer and its stream ({@link MessagesFromChatStream}) back. {@code
 * cache_control} hints are left out (the OpenAI API caches by itself); earlier thinking blocks are
 * left out of the history (the OpenAI API takes no signed reasoning back); a tool result with
 * {@code is_error} is marked with an {@code [error]} prefix.
 */
final class MessagesOverChat implements Translation {
  static final Dialect TARGET = Dialect.OPENAI;

  /**
   * Thinking budgets up to these map to OpenAI's low and medium reasoning effort; larger ones to
   * high.
   */
  private static final long LOW_BUDGET = 4096;

  private static final long MEDIUM_BUDGET = 16384;

  @Override
  public ObjectNode request(ObjectNode in) {
    ObjectNode out = Jackson.object();
    ArrayNode messages = Jackson.array();
    for (Map.Entry<String, JsonNode> f : in.properties()) {
      JsonNode v = f.getValue();
      switch (f.getKey()) {
        case "model", "max_tokens", "temperature", "top_p" -> out.set(f.getKey(), v);
        case "stream" -> {
          out.set("stream", v);
          if (v.asBoolean(false)) {
            out.putObject("stream_options").put("include_usage", true);
          }
        }
        case "system" ->
            messages.insert(
                0, Jackson.object().put("role", "system").put("content", systemText(v)));
        case "messages" -> {} // below, after the system prompt
        case "stop_sequences" -> out.set("stop", v);
        case "tools" -> out.set("tools", tools(v));
        case "tool_choice" -> toolChoice(v, out);
        case "metadata" -> metadata(v, out);
        case "thinking" -> thinking(v, out);
        case "service_tier" -> {
          if (!v.asText().equals("auto")) {
            throw Untranslatable.field("service_tier", TARGET, "only \"auto\" has an equivalent");
          }
        }
        default -> throw Untranslatable.field(f.getKey(), TARGET);
      }
    }
    JsonNode history = in.path("messages");
    for (int i = 0; i < history.size(); i++) {
      message(history.get(i), "messages[" + i + "]", messages);
    }
    out.set("messages", messages);
    return out;
  }

  private static String systemText(JsonNode system) {
    if (system.isTextual()) {
      return system.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      if (!block.path("type").asText().equals("text")) {
        throw Untranslatable.field("system[" + i + "].type", TARGET, "only text blocks");
      }
      if (!sb.isEmpty()) {
        sb.append("\n\n");
      }
      sb.append(block.path("text").asText());
    }
    return sb.toString();
  }

  private static void message(JsonNode m, String path, ArrayNode out) {
    String role = m.path("role").asText();
    JsonNode content = m.path("content");
    if (!role.equals("user") && !role.equals("assistant")) {
      throw Untranslatable.field(path + ".role", TARGET, "role \"" + role + "\"");
    }
    if (content.isTextual()) {
      out.addObject().put("role", role).put("content", content.asText());
      return;
    }
    if (role.equals("assistant")) {
      assistant(content, path, out);
      return;
    }
    ArrayNode parts = Jackson.array();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String at = path + ".content[" + j + "]";
      switch (block.path("type").asText()) {
        case "text" ->
            parts.addObject().put("type", "text").put("text", block.path("text").asText());
        case "image" -> parts.add(image(block, at));
        case "tool_result" -> out.add(toolResult(block, at));
        default ->
            throw Untranslatable.field(
                at + ".type", TARGET, "block type \"" + block.path("type").asText() + "\"");
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    ObjectNode user = out.addObject().put("role", "user");
    if (parts.size() == 1 && parts.get(0).path("type").asText().equals("text")) {
      user.put("content", parts.get(0).path("text").asText());
    } else {
      user.set("content", parts);
    }
  }

  private static void assistant(JsonNode content, String path, ArrayNode out) {
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Jackson.array();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "tool_use" -> {
          ObjectNode call =
              calls.addObject().put("id", block.path("id").asText()).put("type", "function");
          call.putObject("function")
              .put("name", block.path("name").asText())
              .put(
                  "arguments",
                  Jackson.string(
                      block.path("input").isMissingNode() ? Jackson.object() : block.get("input")));
        }
        case "thinking",
            "redacted_thinking" -> {} // the model's own earlier reasoning: no OpenAI input for it
        default ->
            throw Untranslatable.field(
                path + ".content[" + j + "].type",
                TARGET,
                "block type \"" + block.path("type").asText() + "\"");
      }
    }
    ObjectNode msg = out.addObject().put("role", "assistant");
    if (text.isEmpty() && !calls.isEmpty()) {
      msg.putNull("content");
    } else {
      msg.put("content", text.toString());
    }
    if (!calls.isEmpty()) {
      msg.set("tool_calls", calls);
    }
  }

  private static ObjectNode image(JsonNode block, String at) {
    JsonNode source = block.path("source");
    String url =
        switch (source.path("type").asText()) {
          case "base64" ->
              "data:"
                  + source.path("media_type").asText()
                  + ";base64,"
                  + source.path("data").asText();
          case "url" -> source.path("url").asText();
          default ->
              throw Untranslatable.field(
                  at + ".source.type",
                  TARGET,
                  "image source \"" + source.path("type").asText() + "\"");
        };
    ObjectNode part = Jackson.object().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  private static ObjectNode toolResult(JsonNode block, String at) {
    JsonNode content = block.path("content");
    String text;
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < content.size(); k++) {
        if (!content.get(k).path("type").asText().equals("text")) {
          throw Untranslatable.field(
              at + ".content[" + k + "].type", TARGET, "a tool result can only carry text");
        }
        sb.append(content.get(k).path("text").asText());
      }
      text = sb.toString();
    } else {
      text = content.isMissingNode() || content.isNull() ? "" : content.asText();
    }
    if (block.path("is_error").asBoolean(false)) {
      text = "[error] " + text;
    }
    return Jackson.object()
        .put("role", "tool")
        .put("tool_call_id", block.path("tool_use_id").asText())
        .put("content", text);
  }

  private static ArrayNode tools(JsonNode tools) {
    ArrayNode out = Jackson.array();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode t = tools.get(i);
      if (Jackson.given(t, "type") && !t.path("type").asText().equals("custom")) {
        throw Untranslatable.field(
            "tools[" + i + "].type", TARGET, "server tool \"" + t.path("type").asText() + "\"");
      }
      ObjectNode fn = out.addObject().put("type", "function").putObject("function");
      fn.put("name", t.path("name").asText());
      if (Jackson.given(t, "description")) {
        fn.put("description", t.path("description").asText());
      }
      fn.set(
          "parameters",
          t.has("input_schema") ? t.get("input_schema") : Jackson.object().put("type", "object"));
    }
    return out;
  }

  private static void toolChoice(JsonNode choice, ObjectNode out) {
    switch (choice.path("type").asText()) {
      case "auto" -> out.put("tool_choice", "auto");
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" ->
          out.putObject("tool_choice")
              .put("type", "function")
              .putObject("function")
              .put("name", choice.path("name").asText());
      default ->
          throw Untranslatable.field(
              "tool_choice.type", TARGET, "\"" + choice.path("type").asText() + "\"");
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      out.put("parallel_tool_calls", false);
    }
  }

  private static void metadata(JsonNode metadata, ObjectNode out) {
    for (Map.Entry<String, JsonNode> field : metadata.properties()) {
      String k = field.getKey();
      if (!k.equals("user_id")) {
        throw Untranslatable.field("metadata." + k, TARGET);
      }
      out.set("user", metadata.get(k));
    }
  }

  private static void thinking(JsonNode thinking, ObjectNode out) {
    switch (thinking.path("type").asText()) {
      case "disabled" -> {}
      case "enabled" -> {
        long budget = thinking.path("budget_tokens").asLong(0);
        out.put(
            "reasoning_effort",
            budget <= LOW_BUDGET ? "low" : budget <= MEDIUM_BUDGET ? "medium" : "high");
      }
      default ->
          throw Untranslatable.field(
              "thinking.type", TARGET, "\"" + thinking.path("type").asText() + "\"");
    }
  }

  @Override
  public ObjectNode response(ObjectNode in) throws IOException {
    JsonNode choice = in.path("choices").path(0);
    if (choice.isMissingNode()) {
      throw new IOException("chat completion without choices");
    }
    JsonNode msg = choice.path("message");
    ObjectNode out =
        Jackson.object()
            .put("id", in.path("id").asText("msg_gateway"))
            .put("type", "message")
            .put("role", "assistant")
            .put("model", in.path("model").asText());
    ArrayNode content = out.putArray("content");
    String reasoning = reasoning(msg);
    if (!reasoning.isEmpty()) {
      content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
    }
    String text = msg.path("content").isTextual() ? msg.path("content").asText() : "";
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    if (Jackson.given(msg, "refusal")) {
      content.addObject().put("type", "text").put("text", msg.path("refusal").asText());
    }
    for (JsonNode call : msg.path("tool_calls")) {
      content
          .addObject()
          .put("type", "tool_use")
          .put("id", call.path("id").asText())
          .put("name", call.path("function").path("name").asText())
          .set("input", arguments(call.path("function").path("arguments").asText()));
    }
    String finish =
        choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : null;
    out.put("stop_reason", FinishReasons.anthropicFromOpenAi(finish));
    out.putNull("stop_sequence");
    out.set("usage", TokenUsage.fromOpenAi(in.path("usage")).toAnthropic());
    return out;
  }

  /**
   * Reasoning text as OpenAI-compatible providers give it ({@code reasoning_content}, or {@code
   * reasoning}).
   */
  static String reasoning(JsonNode msgOrDelta) {
    JsonNode r =
        msgOrDelta.has("reasoning_content")
            ? msgOrDelta.get("reasoning_content")
            : msgOrDelta.get("reasoning");
    return r != null && r.isTextual() ? r.asText() : "";
  }

  static JsonNode arguments(String json) throws IOException {
    if (json.isBlank()) {
      return Jackson.object();
    }
    JsonNode args = Jackson.parse(json);
    if (args == null || !args.isObject()) {
      throw new IOException("tool call arguments are not a JSON object");
    }
    return args;
  }

  @Override
  public StreamTranslator stream() {
    return new MessagesFromChatStream();
  }
}
