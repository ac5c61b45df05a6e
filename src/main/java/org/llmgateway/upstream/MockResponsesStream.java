package org.llmgateway.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The mock's Responses API stream, as OpenAI sends it: {@code response.created}, the output item
 * and content part opened, one {@code response.output_text.delta} per word, the text, part and item
 * done, then {@code response.completed} with the whole response and its usage. Every event has its
 * {@code sequence_number}.
 */
final class MockResponsesStream {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockResponsesStream() {}

  /**
   * {@code completed} is the finished response object; its first output item is the message
   * streamed here.
   */
  static List<byte[]> events(ObjectNode completed, List<String> words) throws IOException {
    List<byte[]> out = new ArrayList<>(words.size() + 8);
    int[] seq = {0};
    ObjectNode created = completed.deepCopy().put("status", "in_progress");
    created.putArray("output");
    created.putNull("usage");
    ObjectNode e = event("response.created", seq);
    e.set("response", created);
    out.add(bytes(e));
    ObjectNode message = (ObjectNode) completed.path("output").get(0);
    String itemId = message.path("id").asText();
    ObjectNode openItem = message.deepCopy().put("status", "in_progress");
    openItem.putArray("content");
    e = event("response.output_item.added", seq).put("output_index", 0);
    e.set("item", openItem);
    out.add(bytes(e));
    e =
        event("response.content_part.added", seq)
            .put("item_id", itemId)
            .put("output_index", 0)
            .put("content_index", 0);
    e.putObject("part").put("type", "output_text").put("text", "").putArray("annotations");
    out.add(bytes(e));
    for (int i = 0; i < words.size(); i++) {
      e =
          event("response.output_text.delta", seq)
              .put("item_id", itemId)
              .put("output_index", 0)
              .put("content_index", 0)
              .put("delta", i == words.size() - 1 ? words.get(i) : words.get(i) + " ");
      e.putArray("logprobs");
      out.add(bytes(e));
    }
    String text = String.join(" ", words);
    e =
        event("response.output_text.done", seq)
            .put("item_id", itemId)
            .put("output_index", 0)
            .put("content_index", 0)
            .put("text", text);
    e.putArray("logprobs");
    out.add(bytes(e));
    e =
        event("response.content_part.done", seq)
            .put("item_id", itemId)
            .put("output_index", 0)
            .put("content_index", 0);
    e.set("part", message.path("content").get(0));
    out.add(bytes(e));
    e = event("response.output_item.done", seq).put("output_index", 0);
    e.set("item", message);
    out.add(bytes(e));
    e = event("response.completed", seq);
    e.set("response", completed);
    out.add(bytes(e));
    return out;
  }

  private static ObjectNode event(String type, int[] seq) {
    return JSON.createObjectNode().put("type", type).put("sequence_number", seq[0]++);
  }

  private static byte[] bytes(ObjectNode e) throws IOException {
    return ("event: " + e.path("type").asText() + "\ndata: " + JSON.writeValueAsString(e) + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
