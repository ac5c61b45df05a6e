package org.llmgateway.relay;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import org.llmgateway.observe.Exchange;
import org.llmgateway.upstream.UpstreamResponse;

/**
 * Copies a non-stream upstream body through as it arrives (never held whole), cut if the upstream
 * goes silent for longer than its {@code timeout_ms}.
 */
final class BodyRelay {
  /** One read's worth; a completion body is usually a few KB. */
  private static final int CHUNK = 16 * 1024;

  /** Usage sits at the end of a completion; this much of the end is kept to find it. */
  private static final int USAGE_TAIL = 1024;

  private BodyRelay() {}

  /**
   * Returns why the upstream broke off when that happened before anything reached the client (the
   * response is reset, so the caller may fail over); after the commit, a break ends the client's
   * response cut ({@link ClientAbort}).
   */
  static Optional<String> relay(
      UpstreamResponse upstreamResponse,
      StallGuard stalls,
      Duration silence,
      Exchange exchange,
      HttpServletResponse response)
      throws IOException {
    response.setStatus(upstreamResponse.status());
    ResponseHeaders.copy(upstreamResponse.headers(), response, true);
    byte[] buf = new byte[CHUNK];
    byte[] tail = new byte[USAGE_TAIL];
    int tailLength = 0;
    ServletOutputStream out = response.getOutputStream();
    try (upstreamResponse;
        StallGuard.Watch watch = stalls.watch(silence.toNanos(), upstreamResponse)) {
      InputStream in = upstreamResponse.body();
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          String reason =
              "upstream body interrupted: "
                  + (watch.stalled() ? "upstream went silent" : NetworkFailure.describe(e));
          if (!response.isCommitted()) {
            response.reset();
            response.setHeader("X-Request-Id", exchange.requestId);
            exchange.unsent();
            return Optional.of(reason);
          }
          exchange.error("upstream_error", reason);
          throw new ClientAbort(new IOException(reason, e), true);
        }
        if (n < 0) {
          break;
        }
        watch.touch();
        exchange.markFirstByte();
        try {
          out.write(buf, 0, n);
        } catch (IOException e) {
          throw new ClientAbort(e, false);
        }
        exchange.sent(n);
        tailLength = Tail.keep(tail, tailLength, buf, n);
      }
      Usage.scan(tail, 0, tailLength, exchange);
    }
    return Optional.empty();
  }
}
