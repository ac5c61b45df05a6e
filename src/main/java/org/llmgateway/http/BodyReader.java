package org.llmgateway.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads a request body into one array, refusing (413) anything over the limit before or while reading it. */
final class BodyReader {
  private BodyReader() {}

  /** The body bytes; the array may be longer than the body, whose length is returned in {@code length[0]}. */
  static byte[] read(HttpServletRequest request, long max, int[] length) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > max) {
      throw tooLarge(max);
    }
    byte[] buf = new byte[declared >= 0 ? (int) declared : 8192];
    int n = 0;
    try (InputStream in = request.getInputStream()) {
      while (true) {
        if (n == buf.length) {
          if (declared >= 0) {
            if (in.read() >= 0) {
              throw tooLarge(max); // more than declared: the container would refuse it anyway
            }
            break;
          }
          if (buf.length >= max) {
            if (in.read() < 0) {
              break;
            }
            throw tooLarge(max);
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
    length[0] = n;
    return buf;
  }

  private static GatewayException tooLarge(long max) {
    return new GatewayException(ErrorKind.BODY_TOO_LARGE,
        "request body too large: the limit is " + max + " bytes", "request_too_large");
  }
}
