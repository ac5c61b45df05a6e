package org.llmgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Event streams recorded from the providers' documented examples, in {@code
 * src/test/resources/streams}.
 */
public final class RecordedStreams {
  private RecordedStreams() {}

  /** The whole file. */
  public static String text(String name) {
    try (InputStream in = RecordedStreams.class.getResourceAsStream("/streams/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no recorded stream " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file's events, each with its terminating blank line, to be written one by one. */
  public static List<String> events(String name) {
    List<String> out = new ArrayList<>();
    for (String e : text(name).split("\n\n")) {
      if (!e.isBlank()) {
        out.add(e + "\n\n");
      }
    }
    return out;
  }

  /** A fake upstream reply replaying the file event by event. */
  public static FakeUpstream.RawSse replay(String name) {
    return new FakeUpstream.RawSse(events(name), 0);
  }
}
