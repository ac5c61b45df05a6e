package org.llmgateway.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;

/**
 * Reads a request body into one array, refusing (413) anything over the limit before or while
 * reading it.
 */
final class BodyReader {
  /**
   * Bodies over the limit but at most this large are read to the end (and dropped) before the 413.
   */
  static final long DRAIN_LIMIT = 64L * 1024 * 1024;

  private static final int DRAIN_CHUNK = 8192;

  /** A body of unknown length starts in a buffer this large, doubled as needed up to the limit. */
  private static final int FIRST_BUFFER = 8192;

  private BodyReader() {}

  /** Reads the whole body, refusing (413) more than {@code max} bytes. */
  static RequestBody read(HttpServletRequest request, long max) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > max) {
      throw tooLarge(request, max);
    }
    byte[] buf = new byte[declared >= 0 ? (int) declared : FIRST_BUFFER];
    int n = 0;
    try (InputStream in = request.getInputStream()) {
      while (true) {
        if (n == buf.length) {
          if (declared >= 0) {
            if (in.read() >= 0) {
              throw tooLarge(
                  request, max); // more than declared: the container would refuse it anyway
            }
            break;
          }
          if (buf.length >= max) {
            if (in.read() < 0) {
              break;
            }
            throw tooLarge(request, max);
          }
          buf = Arrays.copyOf(buf, (int) Math.min(max, (long) buf.length * 2));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    }
    return new RequestBody(buf, n);
  }

  /**
   * Many clients (the JDK's, most SDKs) read no response before they have sent their whole body:
   * answering at once and closing would leave them with a broken pipe instead of the 413. So a body
   * up to {@link #DRAIN_LIMIT} is read and discarded first; beyond that the connection is closed
   * after the answer.
   */
  private static GatewayException tooLarge(HttpServletRequest request, long max) {
    discardRest(request);
    return new GatewayException(
        ErrorKind.BODY_TOO_LARGE,
        "request body too large: the limit is " + max + " bytes",
        "request_too_large");
  }

  /**
   * Reads and drops what is left of the request body (up to {@link #DRAIN_LIMIT}), so that a client
   * still sending it gets the error answer instead of a reset connection: for a 413, and for any
   * error answered before the body was read (401 without a gateway key, 503 before a configuration
   * loaded). Returns at once when the body was read.
   */
  static void discardRest(HttpServletRequest request) {
    long declared = request.getContentLengthLong();
    if (declared == 0 || declared > DRAIN_LIMIT) {
      return;
    }
    try {
      InputStream in = request.getInputStream();
      byte[] sink = new byte[DRAIN_CHUNK];
      long left = DRAIN_LIMIT;
      int r;
      while (left > 0 && (r = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
        left -= r;
      }
    } catch (IOException | RuntimeException ignored) {
      // the client gave up, or the body was already consumed: the answer is written if the
      // connection takes it
    }
  }
}
