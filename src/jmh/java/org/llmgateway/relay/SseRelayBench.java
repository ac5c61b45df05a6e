package org.llmgateway.relay;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.llmgateway.config.Operation;
import org.llmgateway.observe.AttemptRecord;
import org.llmgateway.observe.Exchange;
import org.llmgateway.observe.Observer;
import org.llmgateway.observe.ReloadResult;
import org.llmgateway.upstream.UpstreamResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SSE relay of one long stream: 2,000 {@code chat.completion.chunk} events of ~200 bytes (the
 * last with usage, then {@code data: [DONE]}) from an in-memory upstream body through the real
 * {@link StreamRelay} ({@code awaitFirstEvent} then {@code relay}: write + flush per read, the kept
 * tail of the stream, the stall-guard touch, then one {@link Usage#scan} and {@code [DONE]} check
 * over the tail) into a servlet output stream that discards the bytes. The response is a {@link
 * Proxy} of the servlet API (a test double of the API, not of the gateway's classes). Scores are
 * per event.
 *
 * <p>{@code reads=event}: each upstream read returns one event, as when tokens trickle in; {@code
 * reads=4096}: each read fills the 4 KiB chunk, as when the upstream is ahead of the client. {@code
 * copyOnly} is the same loop without the scans (the floor); {@code usageScanOnly} is {@link
 * Usage#scan} alone over the same reads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SseRelayBench {
  static final int EVENTS = 2_000;

  @Param({"event", "4096"})
  public String reads;

  private byte[] stream;

  /** End offset of each upstream read (the reader also stops at the caller's buffer size). */
  private int[] readEnds;

  private StallGuard stalls;
  private final DiscardingOutput out = new DiscardingOutput();
  private HttpServletResponse response;

  @Setup
  public void setup() throws IOException {
    List<Integer> eventEnds = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    String[] words = {
      " The",
      " quick",
      " brown",
      " fox",
      " jumps",
      " over",
      " the",
      " lazy",
      " dog",
      ".",
      " Ünïcödé",
      " 日本"
    };
    for (int i = 0; i < EVENTS - 1; i++) {
      sb.append(
              "data: {\"id\":\"chatcmpl-9x7Yb2kQpLmN3vR8sT1uW4zA6cE\",\"object\":\"chat.completion.chunk\",")
          .append("\"created\":1767225600,\"model\":\"gpt-4o-mini-2024-07-18\",")
          .append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
          .append(words[i % words.length])
          .append("\"},\"finish_reason\":null}]}\n\n");
      eventEnds.add(sb.toString().getBytes(StandardCharsets.UTF_8).length);
    }
    sb.append(
            "data: {\"id\":\"chatcmpl-9x7Yb2kQpLmN3vR8sT1uW4zA6cE\",\"object\":\"chat.completion.chunk\",")
        .append("\"created\":1767225600,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],")
        .append(
            "\"usage\":{\"prompt_tokens\":1234,\"completion_tokens\":1999,\"total_tokens\":3233}}\n\n");
    sb.append("data: [DONE]\n\n");
    stream = sb.toString().getBytes(StandardCharsets.UTF_8);
    eventEnds.add(stream.length);
    readEnds =
        reads.equals("event")
            ? eventEnds.stream().mapToInt(Integer::intValue).toArray()
            : new int[] {stream.length};
    stalls = new StallGuard();
    response =
        (HttpServletResponse)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "getOutputStream" -> out;
                      case "hashCode" -> System.identityHashCode(proxy);
                      case "equals" -> proxy == args[0];
                      case "toString" -> "discarding response";
                      default -> defaultValue(method.getReturnType());
                    });
    Exchange check = new Exchange("bench", System.nanoTime(), System.currentTimeMillis());
    long before = out.bytes;
    relayOnce(check);
    if (out.bytes - before != stream.length || check.tokens().total() != 3233 || check.failed()) {
      throw new IllegalStateException(
          "relay check failed: "
              + (out.bytes - before)
              + " of "
              + stream.length
              + " bytes, usage "
              + check.tokens().total()
              + ", failed "
              + check.failed());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    stalls.close();
  }

  /** The gateway's relay of one stream, per event. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long relay() throws IOException {
    Exchange exchange = new Exchange("bench", System.nanoTime(), System.currentTimeMillis());
    relayOnce(exchange);
    return exchange.bytesSent();
  }

  /** The floor: the same reads, writes and flushes, no scanning. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long copyOnly() throws IOException {
    InputStream in = new SegmentedInput(stream, readEnds);
    byte[] chunk = new byte[4096];
    long total = 0;
    int n;
    while ((n = in.read(chunk)) >= 0) {
      out.write(chunk, 0, n);
      out.flush();
      total += n;
    }
    return total;
  }

  /**
   * {@link Usage#scan} on every chunk, as the relay did before it kept only the stream's tail: the
   * cost it saves.
   */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long usageScanOnly() throws IOException {
    Exchange exchange = new Exchange("bench", 0, 0);
    InputStream in = new SegmentedInput(stream, readEnds);
    byte[] chunk = new byte[4096];
    int n;
    while ((n = in.read(chunk)) >= 0) {
      Usage.scan(chunk, 0, n, exchange);
    }
    return exchange.tokens().total();
  }

  /** Records nothing: the benchmark measures the relay, not telemetry. */
  private static final Observer NO_OBSERVER =
      new Observer() {
        @Override
        public void attempt(AttemptRecord attempt) {}

        @Override
        public void cooledDown(String provider, String keyId, long seconds, String reason) {}

        @Override
        public void waitedForKey(long nanos) {}

        @Override
        public void streamOpened() {}

        @Override
        public void streamClosed() {}

        @Override
        public void finished(Exchange exchange) {}

        @Override
        public void reloaded(ReloadResult result) {}
      };

  private void relayOnce(Exchange exchange) throws IOException {
    StreamRelay relay =
        new StreamRelay(
            new MemoryUpstream(new SegmentedInput(stream, readEnds)),
            stalls,
            Duration.ofSeconds(60),
            exchange,
            NO_OBSERVER);
    if (relay.awaitFirstEvent().isPresent()) {
      throw new IllegalStateException("no first event");
    }
    relay.relay(response, Operation.CHAT_COMPLETIONS);
  }

  private static Object defaultValue(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    return null;
  }

  /** Returns the bytes in the given reads, each also bounded by the caller's buffer. */
  static final class SegmentedInput extends InputStream {
    private final byte[] data;
    private final int[] ends;
    private int pos;
    private int segment;

    SegmentedInput(byte[] data, int[] ends) {
      this.data = data;
      this.ends = ends;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      int n = Math.min(len, ends[segment] - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      if (pos == ends[segment]) {
        segment++;
      }
      return n;
    }
  }

  private record MemoryUpstream(InputStream body) implements UpstreamResponse {
    private static final Map<String, List<String>> HEADERS =
        Map.of("content-type", List.of("text/event-stream"), "x-request-id", List.of("req_abc123"));

    @Override
    public int status() {
      return 200;
    }

    @Override
    public Map<String, List<String>> headers() {
      return HEADERS;
    }

    @Override
    public void close() {}
  }

  /** Counts and drops what it is given, keeping one byte so the copy cannot be optimised away. */
  static final class DiscardingOutput extends ServletOutputStream {
    long bytes;
    byte last;

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {}

    @Override
    public void write(int b) {
      bytes++;
      last = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
      if (len > 0) {
        last = b[off + len - 1];
      }
    }

    @Override
    public void flush() {}
  }
}
