package org.llmgateway.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code chat.completion.chunk} objects of a stream translated into the OpenAI chat dialect.
 */
final class ChatChunks {
  private ChatChunks() {}

  /** A chunk without choices (for usage), with the stream's id, creation time and model. */
  static ObjectNode base(String id, long created, String model) {
    return Jackson.object()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model);
  }

  /**
   * A chunk with one choice carrying {@code delta}; {@code finish} null while the choice goes on.
   */
  static ObjectNode withDelta(
      String id, long created, String model, ObjectNode delta, String finish) {
    ObjectNode c = base(id, created, model);
    ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    return c;
  }
}
