package org.llmgateway.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * An in-process upstream provider on 127.0.0.1, port 0. Each request is recorded ({@link
 * #received()}) and answered by the current {@link Script}: JSON with any status and headers, an
 * SSE stream with timed events, a stall, or a connection cut in the middle of a stream.
 */
public final class FakeUpstream implements AutoCloseable {
  /** A recorded request. Header names are lower case. */
  public record Received(
      String method, String path, Map<String, String> headers, String body, long atNanos) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** What to answer. */
  public sealed interface Reply {}

  public record Json(int status, String body, Map<String, String> headers) implements Reply {}

  /**
   * SSE events (each the text after {@code data: }), {@code gapMs} apart; {@code cutAfter} events
   * then the connection dies (-1: never).
   */
  public record Sse(List<String> events, long gapMs, int cutAfter, boolean done) implements Reply {}

  /**
   * Commits 200 {@code text/event-stream} headers, sends {@code events} events, then fails the
   * response: over HTTP/2 the stream is reset (RST_STREAM), over HTTP/1.1 the connection is cut.
   */
  public record Reset(int events) implements Reply {}

  /**
   * A 200 event stream written exactly as given: each of {@code events} (complete SSE text, {@code
   * event:} lines included) flushed on its own, {@code gapMs} apart, for replaying recorded streams
   * of any API.
   */
  public record RawSse(List<String> events, long gapMs) implements Reply {}

  /**
   * Closes the connection before any byte of an answer: the client sees it dropped before the
   * headers.
   */
  public record Drop() implements Reply {}

  /** Waits {@code ms} before answering {@code then}. */
  public record Delay(long ms, Reply then) implements Reply {}

  /** Decides a reply per request. */
  @FunctionalInterface
  public interface Script extends Function<Received, Reply> {}

  private final Server server;
  private final ServerConnector connector;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> protocols = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final boolean tls;
  private final List<Long> closedStreams = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Script script = r -> ok("fake");

  public FakeUpstream() {
    this(0);
  }

  /**
   * On a given port (0: any free one), e.g. to bring back a provider that was down on that port.
   */
  public FakeUpstream(int port) {
    this(null, false, 0, port);
  }

  /**
   * An HTTPS upstream presenting {@code leaf} (plain HTTP when null); with {@code http2} it offers
   * h2 and http/1.1 by ALPN, else only http/1.1.
   */
  public FakeUpstream(TestPki.Leaf leaf, boolean http2) {
    this(leaf, http2, 0);
  }

  /**
   * Like {@link #FakeUpstream(TestPki.Leaf, boolean)}, announcing at most {@code maxStreams}
   * concurrent HTTP/2 streams (0: Jetty's default).
   */
  public FakeUpstream(TestPki.Leaf leaf, boolean http2, int maxStreams) {
    this(leaf, http2, maxStreams, 0);
  }

  private FakeUpstream(TestPki.Leaf leaf, boolean http2, int maxStreams, int port) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setVirtualThreadsExecutor(new VirtualThreadPool());
    server = new Server(threads);
    tls = leaf != null;
    connector =
        leaf == null
            ? new ServerConnector(server)
            : TlsConnectors.create(server, leaf, http2, maxStreams);
    connector.addEventListener(
        new SelectorManager.AcceptListener() {
          @Override
          public void onAccepted(SelectableChannel channel) {
            accepted.incrementAndGet();
          }
        });
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Handler()), "/*");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public String baseUrl() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + connector.getLocalPort();
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** TCP connections accepted since start (or the last {@link #reset()}). */
  public int connectionsAccepted() {
    return accepted.get();
  }

  /** TCP connections open now. */
  public int connectionsOpen() {
    return connector.getConnectedEndPoints().size();
  }

  /** The protocol of each request received ({@code HTTP/2.0}, {@code HTTP/1.1}). */
  public List<String> protocols() {
    return List.copyOf(protocols);
  }

  /**
   * Sends GOAWAY on every open HTTP/2 connection and lets their streams finish (a graceful server
   * shutdown).
   */
  public void goAway() {
    TlsConnectors.goAway(connector);
  }

  public FakeUpstream script(Script s) {
    this.script = s;
    return this;
  }

  public List<Received> received() {
    return Collections.unmodifiableList(new ArrayList<>(received));
  }

  public int calls() {
    return calls.get();
  }

  /** Times (nanoTime) at which a stream write failed because the gateway closed the connection. */
  public List<Long> closedStreams() {
    return closedStreams;
  }

  public void reset() {
    received.clear();
    protocols.clear();
    accepted.set(0);
    closedStreams.clear();
    calls.set(0);
  }

  public static Json ok(String content) {
    return new Json(200, chatCompletion(content), Map.of());
  }

  public static Json status(int status, String body) {
    return new Json(status, body, Map.of());
  }

  public static String chatCompletion(String content) {
    return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"fake\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + content
        + "\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";
  }

  /** {@code n} chat chunks {@code gapMs} apart, then [DONE]. */
  public static Sse chunks(int n, long gapMs) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(
          "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t"
              + i
              + "\"},\"finish_reason\":null}]}");
    }
    return new Sse(events, gapMs, -1, true);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception ignored) {
      // test teardown
    }
  }

  private final class Handler extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : Collections.list(req.getHeaderNames())) {
        headers.put(name.toLowerCase(Locale.ROOT), req.getHeader(name));
      }
      String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Received r =
          new Received(req.getMethod(), req.getRequestURI(), headers, body, System.nanoTime());
      received.add(r);
      protocols.add(req.getProtocol());
      calls.incrementAndGet();
      answer(script.apply(r), req, resp);
    }

    private void answer(Reply reply, HttpServletRequest req, HttpServletResponse resp)
        throws IOException {
      switch (reply) {
        case Delay d -> {
          sleep(d.ms());
          answer(d.then(), req, resp);
        }
        case Drop d ->
            ServletContextRequest.getServletContextRequest(req)
                .getConnectionMetaData()
                .getConnection()
                .getEndPoint()
                .close();
        case Json j -> {
          resp.setStatus(j.status());
          resp.setContentType("application/json");
          j.headers().forEach(resp::setHeader);
          byte[] b = j.body().getBytes(StandardCharsets.UTF_8);
          resp.setContentLength(b.length);
          resp.getOutputStream().write(b);
        }
        case Reset r -> {
          resp.setStatus(200);
          resp.setContentType("text/event-stream");
          resp.flushBuffer();
          for (int i = 0; i < r.events(); i++) {
            resp.getOutputStream()
                .write(("data: {\"n\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8));
            resp.getOutputStream().flush();
          }
          throw new IllegalStateException("fake upstream resets the stream");
        }
        case RawSse s -> {
          resp.setStatus(200);
          resp.setContentType("text/event-stream");
          OutputStream out = resp.getOutputStream();
          for (int i = 0; i < s.events().size(); i++) {
            if (i > 0) {
              sleep(s.gapMs());
            }
            out.write(s.events().get(i).getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
        }
        case Sse s -> {
          resp.setStatus(200);
          resp.setContentType("text/event-stream");
          OutputStream out = resp.getOutputStream();
          try {
            for (int i = 0; i < s.events().size(); i++) {
              if (s.cutAfter() >= 0 && i == s.cutAfter()) {
                throw new IllegalStateException("fake upstream dies mid-stream");
              }
              if (i > 0) {
                sleep(s.gapMs());
              }
              out.write(("data: " + s.events().get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
            if (s.done()) {
              out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
          } catch (IOException e) {
            closedStreams.add(System.nanoTime());
            throw e;
          }
        }
      }
    }

    private void sleep(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
