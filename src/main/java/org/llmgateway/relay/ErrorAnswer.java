package org.llmgateway.relay;

import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.llmgateway.observe.Exchange;
import org.llmgateway.upstream.UpstreamResponse;

/**
 * An upstream error answer read whole (bounded), so it can be classified and later relayed
 * unchanged.
 */
record ErrorAnswer(int status, Map<String, List<String>> headers, byte[] body) {

  static ErrorAnswer read(UpstreamResponse response, int max, StallGuard stalls, Duration silence)
      throws IOException {
    try (response;
        StallGuard.Watch watch = stalls.watch(silence.toNanos(), response)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      InputStream in = response.body();
      byte[] buf = new byte[8192];
      int n;
      while (out.size() < max
          && (n = in.read(buf, 0, Math.min(buf.length, max - out.size()))) >= 0) {
        watch.touch();
        out.write(buf, 0, n);
      }
      return new ErrorAnswer(response.status(), response.headers(), out.toByteArray());
    }
  }

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  void writeTo(HttpServletResponse response, Exchange exchange) throws IOException {
    response.setStatus(status);
    ResponseHeaders.copy(headers, response, false);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    exchange.sent(body.length);
    exchange.markFirstByte();
  }
}
