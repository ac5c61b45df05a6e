package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llmgateway.config.Dialect;
import org.llmgateway.upstream.UpstreamResponse;

/**
 * A provider's answer seen in the client's dialect. The body is translated as it is read (so the
 * relay's stall guard, which closes this response, still cuts a silent upstream): an event stream
 * event by event, a JSON body or an error body once whole. Upstream headers pass except the length,
 * which translation changes.
 */
final class TranslatedResponse implements UpstreamResponse {
  private static final List<String> JSON_TYPE = List.of("application/json");
  private static final List<String> SSE_TYPE = List.of("text/event-stream");

  /**
   * An error body is read up to this much to translate it: enough for any real error, bounded
   * against a flood.
   */
  private static final int ERROR_BODY_MAX = 256 * 1024;

  private final UpstreamResponse raw;
  private final Translation translation;
  private final Dialect client;
  private final boolean eventStream;
  private final Map<String, List<String>> headers;
  private final byte[] bodySent;
  private InputStream body;

  @Override
  public Optional<byte[]> bodySent() {
    return Optional.of(bodySent);
  }

  TranslatedResponse(
      UpstreamResponse raw,
      Translation translation,
      Dialect client,
      boolean stream,
      byte[] bodySent) {
    this.raw = raw;
    this.bodySent = bodySent;
    this.translation = translation;
    this.client = client;
    this.eventStream = stream && raw.status() < 400 && raw.isEventStream();
    Map<String, List<String>> h = new LinkedHashMap<>(raw.headers());
    h.remove("content-length");
    h.remove("content-encoding");
    h.put("content-type", eventStream ? SSE_TYPE : JSON_TYPE);
    this.headers = h;
  }

  @Override
  public int status() {
    return raw.status();
  }

  @Override
  public Map<String, List<String>> headers() {
    return headers;
  }

  @Override
  public InputStream body() {
    if (body == null) {
      body =
          eventStream
              ? new EventStream(new SseReader(raw.body()), translation.stream())
              : new Whole();
    }
    return body;
  }

  @Override
  public void close() {
    raw.close();
  }

  /**
   * The translated JSON (or error) body, produced on the first read once the upstream body is
   * complete.
   */
  private final class Whole extends InputStream {
    private InputStream translated;

    private InputStream translated() throws IOException {
      if (translated == null) {
        boolean error = raw.status() >= 400;
        byte[] bytes = error ? raw.body().readNBytes(ERROR_BODY_MAX) : raw.body().readAllBytes();
        translated =
            new ByteArrayInputStream(
                error ? ErrorTranslation.translate(raw.status(), bytes, client) : translate(bytes));
      }
      return translated;
    }

    private byte[] translate(byte[] bytes) throws IOException {
      JsonNode node = Jackson.parse(new String(bytes, StandardCharsets.UTF_8));
      if (!(node instanceof ObjectNode object)) {
        throw new IOException(
            "upstream answered " + raw.status() + " with a body that is not a JSON object");
      }
      try {
        return Jackson.bytes(translation.response(object));
      } catch (RuntimeException e) {
        throw new IOException("upstream answer could not be translated: " + e.getMessage(), e);
      }
    }

    @Override
    public int read() throws IOException {
      return translated().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return translated().read(b, off, len);
    }

    @Override
    public void close() {
      raw.close();
    }
  }

  /** Translated events, all those one upstream event produced handed out together. */
  private final class EventStream extends InputStream {
    private final SseReader reader;
    private final StreamTranslator translator;
    private final List<SseEvent> pending = new ArrayList<>();
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    EventStream(SseReader reader, StreamTranslator translator) {
      this.reader = reader;
      this.translator = translator;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (pos == current.length) {
        if (ended) {
          return -1;
        }
        pending.clear();
        try {
          var event = reader.next();
          if (event.isEmpty()) {
            ended = true;
            translator.end(pending);
          } else {
            translator.event(event.get(), pending);
          }
        } catch (RuntimeException e) {
          throw new IOException("upstream event could not be translated: " + e.getMessage(), e);
        }
        current = join(pending);
        pos = 0;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }

    private static byte[] join(List<SseEvent> events) {
      if (events.size() == 1) {
        return events.get(0).bytes();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      for (SseEvent e : events) {
        out.writeBytes(e.bytes());
      }
      return out.toByteArray();
    }

    @Override
    public void close() {
      raw.close();
    }
  }
}
