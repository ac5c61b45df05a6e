package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.llmgateway.config.Dialect;

/**
 * An OpenAI chat completions client served by Gemini's native {@code generateContent}: messages
 * become {@code contents} (assistant as {@code model}, tool results as {@code functionResponse}
 * parts named after the call they answer, with Gemini's call ids and thought signatures restored
 * from {@link GeminiCallIds}), the system prompt {@code systemInstruction}, sampling fields {@code
 * generationConfig}, tools {@code functionDeclarations} with their JSON Schema. The answer and its
 * stream ({@link ChatFromGeminiStream}) come back as chat completions; Gemini's thought parts as
 * {@code reasoning_content}. Gemini takes images only inline, so an image URL that is not a base64
 * data URL is a 400.
 */
final class ChatOverGemini implements Translation {
  static final Dialect TARGET = Dialect.GEMINI;
  private static final Map<String, Long> THINKING_BUDGETS =
      Map.of("minimal", 0L, "low", 1024L, "medium", 8192L, "high", 24576L);
  private static final Map<String, String> MODES =
      Map.of("auto", "AUTO", "none", "NONE", "required", "ANY");

  private boolean includeUsage;
  private String model = "";

  @Override
  public ObjectNode request(ObjectNode in) {
    ObjectNode out = Jackson.object();
    ObjectNode config = Jackson.object();
    for (Map.Entry<String, JsonNode> f : in.properties()) {
      JsonNode v = f.getValue();
      if (v.isNull()) {
        continue;
      }
      switch (f.getKey()) {
        case "model" -> model = v.asText(); // in the URL
        case "stream", "messages", "tool_choice" -> {} // the URL says stream; the others below
        case "stream_options" -> includeUsage = v.path("include_usage").asBoolean(false);
        case "max_tokens", "max_completion_tokens" -> config.set("maxOutputTokens", v);
        case "temperature" -> config.set("temperature", v);
        case "top_p" -> config.set("topP", v);
        case "stop" ->
            config.set("stopSequences", v.isTextual() ? Jackson.array().add(v.asText()) : v);
        case "n" -> {
          if (v.asInt() != 1) {
            throw Untranslatable.field("n", TARGET, "one choice per request through the gateway");
          }
        }
        case "seed" -> config.set("seed", v);
        case "presence_penalty" -> config.set("presencePenalty", v);
        case "frequency_penalty" -> config.set("frequencyPenalty", v);
        case "response_format" -> responseFormat(v, config);
        case "tools" -> out.putArray("tools").addObject().set("functionDeclarations", functions(v));
        case "user" -> {} // an end-user id for abuse monitoring: Gemini has none, and it changes no
        // output
        case "reasoning_effort" -> {
          Long budget = THINKING_BUDGETS.get(v.asText());
          if (budget == null) {
            throw Untranslatable.field("reasoning_effort", TARGET, "\"" + v.asText() + "\"");
          }
          config
              .putObject("thinkingConfig")
              .put("includeThoughts", true)
              .put("thinkingBudget", budget);
        }
        case "parallel_tool_calls" -> {
          if (!v.asBoolean(true)) {
            throw Untranslatable.field(
                "parallel_tool_calls", TARGET, "Gemini cannot be told to call one at a time");
          }
        }
        default -> throw Untranslatable.field(f.getKey(), TARGET);
      }
    }
    toolChoice(in.path("tool_choice"), out);
    contents(in.path("messages"), out);
    if (!config.isEmpty()) {
      out.set("generationConfig", config);
    }
    return out;
  }

  private static void responseFormat(JsonNode v, ObjectNode config) {
    switch (v.path("type").asText()) {
      case "text" -> {}
      case "json_object" -> config.put("responseMimeType", "application/json");
      case "json_schema" -> {
        config.put("responseMimeType", "application/json");
        config.set("responseJsonSchema", v.path("json_schema").path("schema"));
      }
      default -> throw Untranslatable.field("response_format.type", TARGET);
    }
  }

  private static ArrayNode functions(JsonNode tools) {
    ArrayNode out = Jackson.array();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode t = tools.get(i);
      if (!t.path("type").asText("function").equals("function")) {
        throw Untranslatable.field("tools[" + i + "].type", TARGET);
      }
      JsonNode fn = t.path("function");
      ObjectNode decl = out.addObject().put("name", fn.path("name").asText());
      if (Jackson.given(fn, "description")) {
        decl.put("description", fn.path("description").asText());
      }
      if (fn.has("parameters")) {
        decl.set("parametersJsonSchema", fn.get("parameters"));
      }
    }
    return out;
  }

  private static void toolChoice(JsonNode choice, ObjectNode out) {
    if (choice.isMissingNode() || choice.isNull()) {
      return;
    }
    ObjectNode fcc = out.putObject("toolConfig").putObject("functionCallingConfig");
    if (choice.isTextual()) {
      String mode = MODES.get(choice.asText());
      if (mode == null) {
        throw Untranslatable.field("tool_choice", TARGET, "\"" + choice.asText() + "\"");
      }
      fcc.put("mode", mode);
    } else {
      fcc.put("mode", "ANY")
          .putArray("allowedFunctionNames")
          .add(choice.path("function").path("name").asText());
    }
  }

  private static void contents(JsonNode messages, ObjectNode out) {
    ArrayNode contents = out.putArray("contents");
    ArrayNode system = Jackson.array();
    Map<String, String> callNames = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String path = "messages[" + i + "]";
      if (Jackson.given(m, "name")) {
        throw Untranslatable.field(path + ".name", TARGET);
      }
      switch (m.path("role").asText()) {
        case "system", "developer" -> parts(m.path("content"), path, system);
        case "user" -> parts(m.path("content"), path, turn(contents, "user"));
        case "assistant" -> {
          ArrayNode parts = turn(contents, "model");
          if (!m.path("content").isNull()
              && !(m.path("content").isTextual() && m.path("content").asText().isEmpty())) {
            parts(m.path("content"), path, parts);
          }
          for (JsonNode call : m.path("tool_calls")) {
            String args = call.path("function").path("arguments").asText("");
            JsonNode parsed = args.isBlank() ? Jackson.object() : Jackson.parse(args);
            if (parsed == null || !parsed.isObject()) {
              throw Untranslatable.field(
                  path + ".tool_calls.function.arguments", TARGET, "not a JSON object");
            }
            String name = call.path("function").path("name").asText();
            callNames.put(call.path("id").asText(), name);
            GeminiCallIds.Restored restored = GeminiCallIds.decode(call.path("id").asText());
            ObjectNode part = parts.addObject();
            ObjectNode fc = part.putObject("functionCall").put("name", name);
            fc.set("args", parsed);
            restored.id().ifPresent(id -> fc.put("id", id));
            restored.signature().ifPresent(sig -> part.put("thoughtSignature", sig));
          }
        }
        case "tool" -> {
          String id = m.path("tool_call_id").asText();
          String name = callNames.get(id);
          if (name == null) {
            throw Untranslatable.field(
                path + ".tool_call_id",
                TARGET,
                "Gemini needs the name of the call it answers, "
                    + "and no earlier assistant message has a tool call "
                    + id);
          }
          String text =
              m.path("content").isTextual()
                  ? m.path("content").asText()
                  : Jackson.string(m.path("content"));
          JsonNode parsed = Jackson.parse(text);
          ObjectNode fr =
              turn(contents, "user").addObject().putObject("functionResponse").put("name", name);
          GeminiCallIds.decode(id).id().ifPresent(geminiId -> fr.put("id", geminiId));
          fr.set(
              "response",
              parsed != null && parsed.isObject() ? parsed : Jackson.object().put("result", text));
        }
        default ->
            throw Untranslatable.field(
                path + ".role", TARGET, "role \"" + m.path("role").asText() + "\"");
      }
    }
    if (!system.isEmpty()) {
      out.putObject("systemInstruction").set("parts", system);
    }
  }

  /**
   * The parts of the last turn when it has {@code role}, else of a new turn: Gemini merges
   * consecutive turns too.
   */
  private static ArrayNode turn(ArrayNode contents, String role) {
    JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
    if (last != null && last.path("role").asText().equals(role)) {
      return (ArrayNode) last.get("parts");
    }
    ObjectNode turn = contents.addObject().put("role", role);
    return turn.putArray("parts");
  }

  private static void parts(JsonNode content, String path, ArrayNode out) {
    if (content.isTextual()) {
      out.addObject().put("text", content.asText());
      return;
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String at = path + ".content[" + j + "]";
      switch (part.path("type").asText()) {
        case "text" -> out.addObject().put("text", part.path("text").asText());
        case "image_url" -> {
          String url = part.path("image_url").path("url").asText();
          int semicolon = url.indexOf(';');
          int comma = url.indexOf(',');
          if (!url.startsWith("data:")
              || semicolon < 0
              || comma < semicolon
              || !url.substring(semicolon, comma).equals(";base64")) {
            throw Untranslatable.field(
                at + ".image_url.url", TARGET, "Gemini takes images inline as base64 data URLs");
          }
          out.addObject()
              .putObject("inlineData")
              .put("mimeType", url.substring(5, semicolon))
              .put("data", url.substring(comma + 1));
        }
        default ->
            throw Untranslatable.field(
                at + ".type", TARGET, "part type \"" + part.path("type").asText() + "\"");
      }
    }
  }

  @Override
  public ObjectNode response(ObjectNode in) throws IOException {
    ChatFromGeminiStream reader = new ChatFromGeminiStream(model, false);
    return reader.whole(in);
  }

  @Override
  public StreamTranslator stream() {
    return new ChatFromGeminiStream(model, includeUsage);
  }
}
