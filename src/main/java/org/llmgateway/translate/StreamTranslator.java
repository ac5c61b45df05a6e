package org.llmgateway.translate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a provider's SSE events into the client's, one stream at a time (stateful, one thread).
 * Events come out in the order their content arrived; nothing is held back longer than the event
 * that completes it.
 */
interface StreamTranslator {
  /** Translates one provider event, adding the client's events (zero or more) to {@code out}. */
  void event(SseEvent event, List<SseEvent> out) throws IOException;

  /** The provider's stream ended; adds closing events if the provider's own end marker was seen. */
  void end(List<SseEvent> out);

  /** This translator, then {@code next} on what this one produced. */
  default StreamTranslator then(StreamTranslator next) {
    StreamTranslator first = this;
    return new StreamTranslator() {
      private final List<SseEvent> middle = new ArrayList<>();

      @Override
      public void event(SseEvent event, List<SseEvent> out) throws IOException {
        middle.clear();
        first.event(event, middle);
        for (SseEvent e : middle) {
          next.event(e, out);
        }
      }

      @Override
      public void end(List<SseEvent> out) {
        middle.clear();
        first.end(middle);
        for (SseEvent e : middle) {
          try {
            next.event(e, out);
          } catch (IOException ex) {
            throw new UncheckedIOException(ex);
          }
        }
        next.end(out);
      }
    };
  }
}
