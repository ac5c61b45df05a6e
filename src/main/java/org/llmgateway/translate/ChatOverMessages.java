package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.llmgateway.config.Dialect;

/**
 * An OpenAI chat completions client served by an Anthropic Messages provider: the request from chat
 * to Messages, the answer and its stream ({@link ChatFromMessagesStream}) back. System and
 * developer messages become the system prompt; consecutive tool results become one user turn of
 * {@code tool_result} blocks; {@code reasoning_effort} becomes a thinking budget and thinking comes
 * back as {@code reasoning_content}. Earlier reasoning in the history is left out (Anthropic takes
 * thinking back only with the signature OpenAI clients do not keep).
 */
final class ChatOverMessages implements Translation {
  static final Dialect TARGET = Dialect.ANTHROPIC;

  /**
   * Anthropic requires max_tokens; OpenAI clients often leave it out. Set
   * request_defaults.max_tokens to change it.
   */
  static final long DEFAULT_MAX_TOKENS = 4096;

  private static final Map<String, Long> THINKING_BUDGETS =
      Map.of("minimal", 1024L, "low", 2048L, "medium", 8192L, "high", 24576L);

  private boolean includeUsage;
  private long thinkingBudget;

  @Override
  public ObjectNode request(ObjectNode in) {
    ObjectNode out = Jackson.object();
    ArrayNode system = Jackson.array();
    for (Map.Entry<String, JsonNode> f : in.properties()) {
      JsonNode v = f.getValue();
      if (v.isNull()) {
        continue;
      }
      switch (f.getKey()) {
        case "model", "top_p", "stream" -> out.set(f.getKey(), v);
        case "max_tokens", "max_completion_tokens" -> out.set("max_tokens", v);
        case "temperature" -> {
          if (v.asDouble() > 1) {
            throw Untranslatable.field("temperature", TARGET, "it accepts 0 to 1");
          }
          out.set("temperature", v);
        }
        case "messages" -> {} // below
        case "stop" ->
            out.set("stop_sequences", v.isTextual() ? Jackson.array().add(v.asText()) : v);
        case "stream_options" -> includeUsage = v.path("include_usage").asBoolean(false);
        case "tools" -> out.set("tools", tools(v));
        case "tool_choice", "parallel_tool_calls" -> {} // below: they combine into one tool_choice
        case "user" -> out.putObject("metadata").put("user_id", v.asText());
        case "n" -> {
          if (v.asInt() != 1) {
            throw Untranslatable.field("n", TARGET, "one choice per request");
          }
        }
        case "response_format" -> {
          if (!v.path("type").asText().equals("text")) {
            throw Untranslatable.field("response_format", TARGET);
          }
        }
        case "reasoning_effort" -> {
          Long budget = THINKING_BUDGETS.get(v.asText());
          if (budget == null) {
            throw Untranslatable.field("reasoning_effort", TARGET, "\"" + v.asText() + "\"");
          }
          thinkingBudget = budget;
        }
        default -> throw Untranslatable.field(f.getKey(), TARGET);
      }
    }
    toolChoice(in, out);
    if (thinkingBudget > 0) {
      out.putObject("thinking").put("type", "enabled").put("budget_tokens", thinkingBudget);
    }
    ArrayNode messages = out.putArray("messages");
    JsonNode history = in.path("messages");
    for (int i = 0; i < history.size(); i++) {
      message(history.get(i), "messages[" + i + "]", messages, system);
    }
    if (!system.isEmpty()) {
      out.set("system", system);
    }
    return out;
  }

  /**
   * Anthropic requires max_tokens (above any thinking budget): filled after request_defaults had
   * their chance.
   */
  @Override
  public void complete(ObjectNode body) {
    if (!body.has("max_tokens")) {
      body.put("max_tokens", DEFAULT_MAX_TOKENS + thinkingBudget);
    } else if (thinkingBudget > 0 && body.path("max_tokens").asLong() <= thinkingBudget) {
      throw Untranslatable.field(
          "max_tokens",
          TARGET,
          "it must exceed the thinking budget of "
              + thinkingBudget
              + " tokens that reasoning_effort asks for");
    }
  }

  private static void message(JsonNode m, String path, ArrayNode out, ArrayNode system) {
    String role = m.path("role").asText();
    JsonNode content = m.path("content");
    if (Jackson.given(m, "name")) {
      throw Untranslatable.field(path + ".name", TARGET);
    }
    switch (role) {
      case "system", "developer" ->
          system.addObject().put("type", "text").put("text", text(content, path));
      case "user" -> out.addObject().put("role", "user").set("content", blocks(content, path));
      case "assistant" -> {
        ArrayNode blocks = Jackson.array();
        if (content.isTextual() && !content.asText().isEmpty()) {
          blocks.addObject().put("type", "text").put("text", content.asText());
        } else if (content.isArray()) {
          blocks.addAll((ArrayNode) blocks(content, path));
        }
        JsonNode calls = m.path("tool_calls");
        for (int j = 0; j < calls.size(); j++) {
          JsonNode call = calls.get(j);
          String at = path + ".tool_calls[" + j + "].function.arguments";
          JsonNode args;
          try {
            args = MessagesOverChat.arguments(call.path("function").path("arguments").asText(""));
          } catch (IOException e) {
            throw Untranslatable.field(at, TARGET, "not a JSON object");
          }
          blocks
              .addObject()
              .put("type", "tool_use")
              .put("id", call.path("id").asText())
              .put("name", call.path("function").path("name").asText())
              .set("input", args);
        }
        out.addObject().put("role", "assistant").set("content", blocks);
      }
      case "tool" -> {
        ObjectNode result =
            Jackson.object()
                .put("type", "tool_result")
                .put("tool_use_id", m.path("tool_call_id").asText())
                .put("content", text(content, path));
        JsonNode last = out.isEmpty() ? null : out.get(out.size() - 1);
        if (last != null
            && last.path("role").asText().equals("user")
            && last.path("content").isArray()
            && last.path("content").path(0).path("type").asText().equals("tool_result")) {
          ((ArrayNode) last.get("content"))
              .add(result); // parallel calls: all results in one user turn
        } else {
          out.addObject().put("role", "user").putArray("content").add(result);
        }
      }
      default -> throw Untranslatable.field(path + ".role", TARGET, "role \"" + role + "\"");
    }
  }

  private static String text(JsonNode content, String path) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < content.size(); j++) {
      if (!content.get(j).path("type").asText().equals("text")) {
        throw Untranslatable.field(path + ".content[" + j + "].type", TARGET, "only text here");
      }
      sb.append(content.get(j).path("text").asText());
    }
    return sb.toString();
  }

  private static JsonNode blocks(JsonNode content, String path) {
    if (content.isTextual()) {
      return content;
    }
    ArrayNode out = Jackson.array();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String at = path + ".content[" + j + "]";
      switch (part.path("type").asText()) {
        case "text" -> out.addObject().put("type", "text").put("text", part.path("text").asText());
        case "image_url" -> out.add(image(part.path("image_url").path("url").asText(), at));
        default ->
            throw Untranslatable.field(
                at + ".type", TARGET, "part type \"" + part.path("type").asText() + "\"");
      }
    }
    return out;
  }

  private static ObjectNode image(String url, String at) {
    ObjectNode block = Jackson.object().put("type", "image");
    ObjectNode source = block.putObject("source");
    if (url.startsWith("data:")) {
      int semicolon = url.indexOf(';');
      int comma = url.indexOf(',');
      if (semicolon < 0
          || comma < semicolon
          || !url.substring(semicolon, comma).equals(";base64")) {
        throw Untranslatable.field(at + ".image_url.url", TARGET, "data URLs must be base64");
      }
      source
          .put("type", "base64")
          .put("media_type", url.substring(5, semicolon))
          .put("data", url.substring(comma + 1));
    } else {
      source.put("type", "url").put("url", url);
    }
    return block;
  }

  private static ArrayNode tools(JsonNode tools) {
    ArrayNode out = Jackson.array();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode t = tools.get(i);
      if (!t.path("type").asText("function").equals("function")) {
        throw Untranslatable.field(
            "tools[" + i + "].type", TARGET, "tool type \"" + t.path("type").asText() + "\"");
      }
      JsonNode fn = t.path("function");
      if (fn.path("strict").asBoolean(false)) {
        throw Untranslatable.field("tools[" + i + "].function.strict", TARGET);
      }
      ObjectNode tool = out.addObject().put("name", fn.path("name").asText());
      if (Jackson.given(fn, "description")) {
        tool.put("description", fn.path("description").asText());
      }
      tool.set(
          "input_schema",
          fn.has("parameters") ? fn.get("parameters") : Jackson.object().put("type", "object"));
    }
    return out;
  }

  private static void toolChoice(JsonNode in, ObjectNode out) {
    JsonNode choice = in.path("tool_choice");
    boolean serial =
        in.has("parallel_tool_calls") && !in.path("parallel_tool_calls").asBoolean(true);
    ObjectNode tc = null;
    if (choice.isTextual()) {
      tc =
          Jackson.object()
              .put(
                  "type",
                  switch (choice.asText()) {
                    case "auto" -> "auto";
                    case "required" -> "any";
                    case "none" -> "none";
                    default ->
                        throw Untranslatable.field(
                            "tool_choice", TARGET, "\"" + choice.asText() + "\"");
                  });
    } else if (choice.isObject()) {
      tc =
          Jackson.object()
              .put("type", "tool")
              .put("name", choice.path("function").path("name").asText());
    }
    if (serial) {
      tc = tc == null ? Jackson.object().put("type", "auto") : tc;
      tc.put("disable_parallel_tool_use", true);
    }
    if (tc != null) {
      out.set("tool_choice", tc);
    }
  }

  @Override
  public ObjectNode response(ObjectNode in) {
    ObjectNode out =
        Jackson.object()
            .put("id", in.path("id").asText())
            .put("object", "chat.completion")
            .put("created", System.currentTimeMillis() / 1000)
            .put("model", in.path("model").asText());
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    ObjectNode msg = choice.putObject("message").put("role", "assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = Jackson.array();
    for (JsonNode block : in.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "thinking" -> reasoning.append(block.path("thinking").asText());
        case "tool_use" -> {
          ObjectNode call =
              calls.addObject().put("id", block.path("id").asText()).put("type", "function");
          call.putObject("function")
              .put("name", block.path("name").asText())
              .put("arguments", Jackson.string(block.path("input")));
        }
        default -> {} // redacted_thinking and server tool blocks have no chat completion form
      }
    }
    if (text.isEmpty() && !calls.isEmpty()) {
      msg.putNull("content");
    } else {
      msg.put("content", text.toString());
    }
    if (!reasoning.isEmpty()) {
      msg.put("reasoning_content", reasoning.toString());
    }
    if (!calls.isEmpty()) {
      msg.set("tool_calls", calls);
    }
    choice.put(
        "finish_reason",
        FinishReasons.openAiFromAnthropic(in.path("stop_reason").asText("end_turn")));
    out.set("usage", TokenUsage.fromAnthropic(in.path("usage")).toOpenAi());
    return out;
  }

  @Override
  public StreamTranslator stream() {
    return new ChatFromMessagesStream(includeUsage);
  }
}
