package org.llmgateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.llmgateway.config.MockOptions;

/**
 * The built-in {@code type: mock} provider, answered in-process: chat completions echo the last
 * user message (word by word as {@code chat.completion.chunk} events when streaming, {@code
 * delay_ms} apart, then a usage chunk when {@code stream_options.include_usage} asks, then {@code
 * [DONE]}); embeddings are deterministic unit vectors (as floats, or base64 for {@code
 * encoding_format: "base64"}); legacy completions echo the prompt; responses echo the input, as
 * Responses API events when streaming ({@link MockResponsesStream}). Messages reach it translated
 * into chat completions. It goes through routing, keys and logs like any other provider.
 */
public final class MockUpstream implements Upstream {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, List<String>> JSON_HEADERS =
      Map.of("content-type", List.of("application/json"));
  private static final Map<String, List<String>> SSE_HEADERS =
      Map.of("content-type", List.of("text/event-stream"));

  @Override
  public UpstreamResponse send(UpstreamRequest request) throws IOException {
    JsonNode body = JSON.readTree(request.body());
    MockOptions options = request.attempt().route().provider().mock();
    String model = body.path("model").asText();
    String id = "mock-" + request.requestId();
    long created = System.currentTimeMillis() / 1000;
    return switch (request.operation()) {
      case EMBEDDINGS -> json(embeddings(body, model, options));
      case CHAT_COMPLETIONS ->
          request.stream()
              ? stream(
                  chatChunks(
                      id,
                      created,
                      model,
                      lastUserText(body),
                      includeUsage(body),
                      promptTokens(body)),
                  options)
              : json(chat(id, created, model, lastUserText(body), promptTokens(body)));
      case COMPLETIONS -> json(completion(id, created, model, body.path("prompt").asText("")));
      case RESPONSES ->
          request.stream()
              ? stream(
                  MockResponsesStream.events(
                      response(id, created, model, String.join(" ", words(inputText(body)))),
                      words(inputText(body))),
                  options)
              : json(response(id, created, model, inputText(body)));
      // Messages reach the mock translated into chat completions; nothing routes the others here
      case MESSAGES, COUNT_TOKENS, GENERATE_CONTENT, STREAM_GENERATE_CONTENT ->
          throw new IOException(
              "the mock provider does not serve " + request.operation().configName());
    };
  }

  private static UpstreamResponse json(ObjectNode node) throws IOException {
    return new Response(JSON_HEADERS, new ByteArrayInputStream(JSON.writeValueAsBytes(node)));
  }

  private static UpstreamResponse stream(List<byte[]> events, MockOptions options) {
    return new Response(SSE_HEADERS, new EventStream(events, options.delayMs()));
  }

  private static ObjectNode chat(
      String id, long created, String model, String text, int promptTokens) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("id", "chatcmpl-" + id)
            .put("object", "chat.completion")
            .put("created", created)
            .put("model", model);
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", text);
    choice.put("finish_reason", "stop");
    usage(root.putObject("usage"), promptTokens, words(text).size());
    return root;
  }

  private static List<byte[]> chatChunks(
      String id, long created, String model, String text, boolean includeUsage, int promptTokens)
      throws IOException {
    List<String> words = words(text);
    List<byte[]> events = new ArrayList<>(words.size() + 3);
    for (int i = 0; i < words.size(); i++) {
      ObjectNode delta = JSON.createObjectNode();
      if (i == 0) {
        delta.put("role", "assistant");
      }
      delta.put("content", i == words.size() - 1 ? words.get(i) : words.get(i) + " ");
      events.add(event(chunk(id, created, model, delta, null)));
    }
    events.add(event(chunk(id, created, model, JSON.createObjectNode(), "stop")));
    if (includeUsage) {
      ObjectNode usageChunk =
          JSON.createObjectNode()
              .put("id", "chatcmpl-" + id)
              .put("object", "chat.completion.chunk")
              .put("created", created)
              .put("model", model);
      usageChunk.putArray("choices");
      usage(usageChunk.putObject("usage"), promptTokens, words.size());
      events.add(event(usageChunk));
    }
    events.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return events;
  }

  private static ObjectNode chunk(
      String id, long created, String model, ObjectNode delta, String finishReason) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("id", "chatcmpl-" + id)
            .put("object", "chat.completion.chunk")
            .put("created", created)
            .put("model", model);
    ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return root;
  }

  private static byte[] event(ObjectNode node) throws IOException {
    return ("data: " + JSON.writeValueAsString(node) + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode embeddings(JsonNode body, String model, MockOptions options) {
    int dims =
        body.path("dimensions").canConvertToInt() && body.path("dimensions").asInt() > 0
            ? Math.min(body.path("dimensions").asInt(), 8192)
            : options.embeddingDimensions();
    List<String> inputs = new ArrayList<>();
    JsonNode input = body.path("input");
    if (input.isArray() && !input.isEmpty() && !input.get(0).isNumber()) {
      input.forEach(n -> inputs.add(n.isTextual() ? n.asText() : n.toString()));
    } else {
      inputs.add(input.isTextual() ? input.asText() : input.toString());
    }
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    int tokens = 0;
    boolean base64 = "base64".equals(body.path("encoding_format").asText());
    for (int i = 0; i < inputs.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      double[] unit = unitVector(inputs.get(i), dims);
      if (base64) {
        item.put("embedding", base64(unit));
      } else {
        ArrayNode vector = item.putArray("embedding");
        for (double v : unit) {
          vector.add(v);
        }
      }
      tokens += Math.max(1, words(inputs.get(i)).size());
    }
    root.put("model", model);
    root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return root;
  }

  /**
   * As the OpenAI API encodes {@code encoding_format: "base64"}: little-endian float32s, base64.
   */
  private static String base64(double[] vector) {
    ByteBuffer b = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : vector) {
      b.putFloat((float) v);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** A deterministic unit vector for a text: same text, same vector, on every run and machine. */
  static double[] unitVector(String text, int dims) {
    // seeded from a 64-bit FNV-1a of the UTF-8 bytes: String.hashCode() is 32 bits and collides on
    // trivial pairs
    // ("Aa"/"BB"), which would give different texts the same embedding
    long seed = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      seed = (seed ^ (b & 0xff)) * 0x100000001b3L;
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] v = new double[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      v[i] = random.nextDouble(-1, 1);
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < dims; i++) {
      v[i] /= norm;
    }
    return v;
  }

  private static ObjectNode completion(String id, long created, String model, String prompt) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("id", "cmpl-" + id)
            .put("object", "text_completion")
            .put("created", created)
            .put("model", model);
    root.putArray("choices")
        .addObject()
        .put("index", 0)
        .put("text", prompt)
        .putNull("logprobs")
        .put("finish_reason", "stop");
    usage(root.putObject("usage"), words(prompt).size(), words(prompt).size());
    return root;
  }

  private static ObjectNode response(String id, long created, String model, String text) {
    ObjectNode root =
        JSON.createObjectNode()
            .put("id", "resp_" + id)
            .put("object", "response")
            .put("created_at", created)
            .put("status", "completed")
            .put("model", model);
    ObjectNode message =
        root.putArray("output")
            .addObject()
            .put("type", "message")
            .put("id", "msg_" + id)
            .put("status", "completed")
            .put("role", "assistant");
    message
        .putArray("content")
        .addObject()
        .put("type", "output_text")
        .put("text", text)
        .putArray("annotations");
    root.putNull("error")
        .putNull("incomplete_details")
        .putNull("instructions")
        .put("parallel_tool_calls", true)
        .put("temperature", 1.0)
        .put("tool_choice", "auto")
        .put("top_p", 1.0);
    root.putObject("metadata");
    root.putArray("tools");
    int n = words(text).size();
    ObjectNode usage = root.putObject("usage").put("input_tokens", n);
    usage.putObject("input_tokens_details").put("cached_tokens", 0);
    usage.put("output_tokens", n);
    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    usage.put("total_tokens", 2 * n);
    return root;
  }

  private static void usage(ObjectNode usage, int prompt, int completion) {
    usage
        .put("prompt_tokens", prompt)
        .put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
  }

  private static boolean includeUsage(JsonNode body) {
    return body.path("stream_options").path("include_usage").asBoolean(false);
  }

  private static String lastUserText(JsonNode body) {
    JsonNode messages = body.path("messages");
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode m = messages.get(i);
      if ("user".equals(m.path("role").asText())) {
        return text(m.path("content"));
      }
    }
    return "Hello from the LLM Gateway Lite mock provider.";
  }

  private static String inputText(JsonNode body) {
    JsonNode input = body.path("input");
    if (input.isTextual()) {
      return input.asText();
    }
    for (int i = input.size() - 1; i >= 0; i--) {
      JsonNode item = input.get(i);
      if ("user".equals(item.path("role").asText())) {
        return text(item.path("content"));
      }
    }
    return "Hello from the LLM Gateway Lite mock provider.";
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    content.forEach(
        part -> {
          if (part.has("text")) {
            sb.append(sb.isEmpty() ? "" : " ").append(part.path("text").asText());
          }
        });
    return sb.toString();
  }

  private static int promptTokens(JsonNode body) {
    int n = 0;
    for (JsonNode m : body.path("messages")) {
      n += words(text(m.path("content"))).size() + 1;
    }
    return n;
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private record Response(Map<String, List<String>> headers, InputStream body)
      implements UpstreamResponse {
    @Override
    public int status() {
      return 200;
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException ignored) {
        // in-memory
      }
    }
  }

  /** SSE events handed out one by one, {@code delayMs} apart, like a real streaming upstream. */
  private static final class EventStream extends InputStream {
    private final List<byte[]> events;
    private final long delayMs;
    private int event = -1;
    private int pos;
    private volatile boolean closed;

    EventStream(List<byte[]> events, long delayMs) {
      this.events = events;
      this.delayMs = delayMs;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      if (event < 0 || pos == events.get(event).length) {
        if (event + 1 >= events.size()) {
          return -1;
        }
        if (event >= 0 && delayMs > 0) {
          pause();
        }
        event++;
        pos = 0;
      }
      byte[] current = events.get(event);
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }

    /** The rest of the current event: readable without waiting for the next one. */
    @Override
    public int available() {
      return closed || event < 0 ? 0 : events.get(event).length - pos;
    }

    private void pause() throws IOException {
      try {
        Thread.sleep(delayMs); // the mock's whole point: pace events like a model generating tokens
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (closed) {
        throw new IOException("stream closed");
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
