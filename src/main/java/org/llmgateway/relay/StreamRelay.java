package org.llmgateway.relay;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.llmgateway.config.Dialect;
import org.llmgateway.config.Operation;
import org.llmgateway.error.AnthropicError;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.ErrorWriter;
import org.llmgateway.observe.Exchange;
import org.llmgateway.observe.Observer;
import org.llmgateway.upstream.UpstreamResponse;

/**
 * Relays one upstream event stream. {@link #awaitFirstEvent()} reads until the first complete SSE
 * event (nothing is sent to the client yet, so a failure here can still fail over); {@link #relay}
 * then commits status and headers and copies the stream through, flushing after every read, so each
 * event reaches the client as soon as it arrives. Bytes are copied once, from the upstream buffer
 * to the servlet output.
 *
 * <p>Memory: an open stream spends nearly all its life waiting for the next event, and thousands
 * may be open. It waits in a one-byte {@code read()} that holds no buffer; only once bytes arrived
 * does it take a chunk from a shared {@link ChunkPool}, drain what the upstream already has ({@code
 * available()}, never blocking with the chunk held), write it and give the chunk back. What stays
 * per stream is the {@link #TAIL} kept for usage and [DONE].
 */
final class StreamRelay {
  private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.UTF_8);

  /** A Messages stream ends with this event, or with an {@code error} event. */
  private static final byte[] MESSAGE_STOP = "\"message_stop\"".getBytes(StandardCharsets.UTF_8);

  private static final byte[] ERROR_EVENT = "event: error".getBytes(StandardCharsets.UTF_8);

  /** An OpenAI-style stream reports a failure as an event of this start. */
  private static final byte[] ERROR_DATA = "data: {\"error\"".getBytes(StandardCharsets.UTF_8);

  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * SSE events are a few hundred bytes; a read that finds more ready is relayed in several writes.
   */
  private static final int CHUNK = 4096;

  /**
   * Enough free chunks for the streams relaying bytes at the same moment on a few cores; more are
   * garbage.
   */
  private static final ChunkPool CHUNKS = new ChunkPool(CHUNK, 256);

  /**
   * The end of a stream kept to find usage and [DONE]: the usage chunk and [DONE] are the last ~400
   * bytes.
   */
  private static final int TAIL = 2048;

  private final UpstreamResponse upstream;
  private final StallGuard.Watch watch;
  private final Exchange exchange;
  private final Observer observer;

  /**
   * The first event, read before the commit (a pooled chunk, or a larger array for a long first
   * event).
   */
  private byte[] buf;

  private int buffered;

  StreamRelay(
      UpstreamResponse upstream,
      StallGuard stalls,
      Duration silence,
      Exchange exchange,
      Observer observer) {
    this.upstream = upstream;
    this.watch = stalls.watch(silence.toNanos(), upstream);
    this.exchange = exchange;
    this.observer = observer;
  }

  /** Reads the first event; on failure closes the upstream and returns why. */
  Optional<String> awaitFirstEvent() {
    InputStream in = upstream.body();
    try {
      while (buf == null || !hasEventBoundary(buf, buffered)) {
        int first = in.read(); // waits for the upstream holding no buffer
        if (first < 0) {
          close();
          return Optional.of(
              buffered == 0
                  ? "stream ended before the first event"
                  : "stream ended inside the first event");
        }
        watch.touch();
        if (buf == null) {
          buf = CHUNKS.take();
        } else if (buffered == buf.length) {
          byte[] bigger = new byte[buf.length * 2];
          System.arraycopy(buf, 0, bigger, 0, buffered);
          CHUNKS.give(buf);
          buf = bigger;
        }
        buf[buffered++] = (byte) first;
        buffered += drain(in, buf, buffered);
      }
      return Optional.empty();
    } catch (IOException e) {
      close();
      return Optional.of(
          watch.stalled() ? "no first event within timeout_ms" : NetworkFailure.describe(e));
    }
  }

  /**
   * Reads into {@code b} from {@code off} what {@code in} has ready without blocking; returns how
   * many bytes.
   */
  private static int drain(InputStream in, byte[] b, int off) {
    int n = 0;
    try {
      while (off + n < b.length) {
        int ready = in.available();
        if (ready <= 0) {
          break;
        }
        int read = in.read(b, off + n, Math.min(ready, b.length - off - n));
        if (read < 0) {
          break; // the end: the next read() reports it
        }
        n += read;
      }
    } catch (IOException e) {
      // a failure right behind the bytes already read (an HTTP/2 reset after an event): those bytes
      // are relayed
      // first, and the next blocking read() reports the failure
    }
    return n;
  }

  void relay(HttpServletResponse response, Operation operation) throws IOException {
    observer.streamOpened();
    try {
      response.setStatus(upstream.status());
      ResponseHeaders.copy(upstream.headers(), response, false);
      response.setContentType("text/event-stream; charset=utf-8");
      response.setHeader("Cache-Control", "no-cache");
      response.setHeader("X-Accel-Buffering", "no");
      ServletOutputStream out = response.getOutputStream();
      write(out, buf, buffered);
      // [DONE] and the usage chunk come last: the end of the stream is kept and looked at once,
      // instead of scanning
      // every byte of every event on the way
      byte[] tail = new byte[TAIL];
      int tailLength = Tail.keep(tail, 0, buf, buffered);
      // a Messages stream reports input tokens in its first event (message_start), before the chunk
      // goes back
      long firstEventInputTokens =
          operation == Operation.MESSAGES ? Usage.inputTokens(buf, buffered) : -1;
      CHUNKS.give(buf);
      buf = null;
      boolean endsOnBoundary = true;
      InputStream in = upstream.body();
      while (true) {
        byte[] chunk;
        int n;
        try {
          int first = in.read(); // waits for the next event holding no buffer
          if (first < 0) {
            break;
          }
          chunk = CHUNKS.take();
          chunk[0] = (byte) first;
          n = 1 + drain(in, chunk, 1);
        } catch (IOException e) {
          String reason =
              watch.stalled()
                  ? "upstream went silent for longer than timeout_ms"
                  : NetworkFailure.describe(e);
          fail(out, "upstream stream interrupted: " + reason, endsOnBoundary, operation);
          return;
        }
        watch.touch();
        write(out, chunk, n);
        tailLength = Tail.keep(tail, tailLength, chunk, n);
        CHUNKS.give(chunk);
        // from the kept tail, so that a boundary split across two reads counts too
        endsOnBoundary =
            tailLength >= 2
                && tail[tailLength - 1] == '\n'
                && (tail[tailLength - 2] == '\n'
                    || (tailLength >= 3 && tail[tailLength - 2] == '\r'));
      }
      if (operation == Operation.MESSAGES) {
        // input tokens come in message_start (the first event), output tokens in the last
        // message_delta
        Usage.scanMessages(firstEventInputTokens, tail, tailLength, exchange);
        if (Usage.indexOf(tail, 0, tailLength, MESSAGE_STOP) < 0
            && Usage.indexOf(tail, 0, tailLength, ERROR_EVENT) < 0) {
          fail(out, "upstream stream ended without message_stop", endsOnBoundary, operation);
        }
        return;
      }
      Usage.scan(tail, 0, tailLength, exchange);
      boolean sawDone = Usage.indexOf(tail, 0, tailLength, DONE) >= 0;
      if (!sawDone
          && (operation == Operation.CHAT_COMPLETIONS || operation == Operation.COMPLETIONS)) {
        if (Usage.indexOf(tail, 0, tailLength, ERROR_DATA) >= 0) {
          // the upstream ended with its own error event: the client knows, a second one would only
          // repeat it
          exchange.error("stream_interrupted", "upstream ended the stream with an error event");
        } else {
          fail(out, "upstream stream ended without [DONE]", endsOnBoundary, operation);
        }
      }
    } finally {
      close();
      observer.streamClosed();
    }
  }

  private void write(ServletOutputStream out, byte[] b, int n) {
    try {
      out.write(b, 0, n);
      out.flush();
      exchange.sent(n);
      exchange.markFirstByte();
    } catch (IOException e) {
      close(); // the client left: abort the upstream exchange at once
      exchange.error("client_cancelled", "client disconnected during the stream");
      throw new ClientAbort(e, false);
    }
  }

  /** Ends the stream with an error event in the client's dialect, never a silent cut. */
  private void fail(
      ServletOutputStream out, String message, boolean endsOnBoundary, Operation operation) {
    exchange.error("stream_interrupted", message);
    if (!endsOnBoundary) {
      write(out, EVENT_END, EVENT_END.length);
    }
    byte[] event =
        operation.dialect() == Dialect.ANTHROPIC
            ? AnthropicError.event(AnthropicError.type(ErrorKind.UPSTREAM_FAILED), message)
            : ("data: "
                    + new String(
                        ErrorWriter.body(ErrorKind.UPSTREAM_FAILED, message, "stream_interrupted"),
                        StandardCharsets.UTF_8)
                    + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    write(out, event, event.length);
  }

  private void close() {
    watch.close();
    upstream.close();
  }

  static boolean hasEventBoundary(byte[] b, int n) {
    for (int i = 1; i < n; i++) {
      if (b[i] == '\n'
          && (b[i - 1] == '\n'
              || (i >= 3 && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r'))) {
        return true;
      }
    }
    return false;
  }
}
