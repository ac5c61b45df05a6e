package org.llmgateway.translate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads server-sent events from a byte stream (LF, CRLF or CR line ends; several {@code data:}
 * lines joined with a line feed; comments, {@code id:} and {@code retry:} ignored). Blocks until a
 * whole event arrived.
 */
final class SseReader {
  private final InputStream in;
  private final byte[] buf = new byte[4096];
  private int pos;
  private int limit;
  private boolean skipLf;

  SseReader(InputStream in) {
    this.in = in;
  }

  /** The next event, or empty at the end of the stream (a partial event at the end is dropped). */
  Optional<SseEvent> next() throws IOException {
    String name = "";
    StringBuilder data = null;
    while (true) {
      String line = line();
      if (line == null) {
        return Optional.empty();
      }
      if (line.isEmpty()) {
        if (data != null) {
          return Optional.of(new SseEvent(name, data.toString()));
        }
        name = "";
        continue;
      }
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value =
          colon < 0
              ? ""
              : line.substring(
                  colon + (colon + 1 < line.length() && line.charAt(colon + 1) == ' ' ? 2 : 1));
      if (field.equals("event")) {
        name = value;
      } else if (field.equals("data")) {
        if (data == null) {
          data = new StringBuilder(value.length());
        } else {
          data.append('\n');
        }
        data.append(value);
      }
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = null;
    while (true) {
      if (pos == limit) {
        limit = in.read(buf);
        pos = 0;
        if (limit < 0) {
          limit = 0;
          return null;
        }
      }
      byte b = buf[pos++];
      if (skipLf) {
        skipLf = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        skipLf = b == '\r';
        return line == null ? "" : line.toString(StandardCharsets.UTF_8);
      }
      if (line == null) {
        line = new ByteArrayOutputStream(128);
      }
      line.write(b);
    }
  }
}
