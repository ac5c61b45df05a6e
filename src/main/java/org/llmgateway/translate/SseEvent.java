package org.llmgateway.translate;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event: its {@code event:} name (empty when it has none) and its {@code data:}
 * text.
 */
public record SseEvent(String name, String data) {
  public static SseEvent data(String data) {
    return new SseEvent("", data);
  }

  /** The event on the wire, one {@code data:} line per line of data, ending in a blank line. */
  public byte[] bytes() {
    StringBuilder sb = new StringBuilder(data.length() + name.length() + 16);
    if (!name.isEmpty()) {
      sb.append("event: ").append(name).append('\n');
    }
    for (String line : data.split("\n", -1)) {
      sb.append("data: ").append(line).append('\n');
    }
    return sb.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }
}
