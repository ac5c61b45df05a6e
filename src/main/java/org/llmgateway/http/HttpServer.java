package org.llmgateway.http;

import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.llmgateway.core.Settings;

/**
 * Embedded Jetty 12 (ee11, Servlet 6.1): platform threads for acceptors and selectors, every
 * servlet call on its own virtual thread, the one servlet ({@link GatewayServlet}) on {@code /*},
 * graceful stop that lets requests and streams in flight finish within the grace period.
 */
public final class HttpServer {
  /**
   * Requests (and open streams) running at once; beyond it Jetty queues. Virtual threads make this
   * cheap.
   */
  private static final int MAX_CONCURRENT_REQUESTS = 100_000;

  private static final int REQUEST_HEADER_BYTES = 16 * 1024;

  /**
   * Each open response keeps one output buffer (direct memory) until it ends; with thousands of SSE
   * streams open, Jetty's 32 KiB default adds up. An SSE event is a few hundred bytes; larger
   * writes (non-stream bodies are copied in 16 KiB reads) bypass it.
   */
  private static final int OUTPUT_BUFFER_BYTES = 2048;

  /**
   * A connection's request buffer (direct memory) stays with it while its request is handled, which
   * for a stream is the stream's whole life (Jetty releases it at the next parse). Jetty's 8 KiB
   * default cost 8 KiB per open stream; the parser takes request heads and bodies in several reads,
   * so a smaller buffer only means more, smaller reads for large bodies.
   */
  private static final int INPUT_BUFFER_BYTES = 2048;

  /**
   * The buffer pool's size classes are multiples of this; with Jetty's default of 4 KiB every
   * buffer, the 2 KiB ones above included, would take at least 4 KiB.
   */
  private static final int POOL_SIZE_STEP_BYTES = 1024;

  /**
   * Not 0, although an aggregation buffer stays with its response until the end (the output buffer
   * above, per open SSE stream): the non-stream relay relies on the first bytes of a body staying
   * uncommitted here, so that a body cut before anything reached the client can still be reset and
   * failed over (FailoverTest).
   */
  private static final int OUTPUT_AGGREGATION_BYTES = 2048;

  /**
   * Idle I/O buffers Jetty may keep for reuse, per kind (heap, direct). Jetty's default is 1/8 of
   * the maximum heap each, which after a peak of thousands of connections keeps tens of MB of
   * direct memory that is never given back.
   */
  private static final long POOL_IDLE_BYTES = 4L * 1024 * 1024;

  /**
   * A client connection idle this long is closed; long enough for the quiet stretches of a slow
   * stream.
   */
  private static final int IDLE_TIMEOUT_MS = 300_000;

  private static final int ACCEPT_QUEUE = 4096;

  /** Jetty's own graceful stop puts this idle timeout on the connections left after our drain. */
  private static final long SHUTDOWN_IDLE_TIMEOUT_MS = 100;

  private static final long STOP_TIMEOUT_MS = 1000;
  private static final long DRAIN_POLL_MS = 20;
  private final Server server;
  private final ServerConnector connector;
  private final GracefulHandler graceful;
  private final long graceMillis;

  public HttpServer(Settings settings, HttpServlet servlet) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("jetty");
    VirtualThreadPool virtual = new VirtualThreadPool();
    virtual.setName("request");
    virtual.setMaxConcurrentTasks(MAX_CONCURRENT_REQUESTS);
    threads.setVirtualThreadsExecutor(virtual);
    // minCapacity and maxCapacity as Jetty's defaults; buckets unbounded in count, bounded in idle
    // bytes
    server =
        new Server(
            threads,
            null,
            new ArrayByteBufferPool(
                0, POOL_SIZE_STEP_BYTES, -1, Integer.MAX_VALUE, POOL_IDLE_BYTES, POOL_IDLE_BYTES));

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(REQUEST_HEADER_BYTES);
    http.setOutputBufferSize(OUTPUT_BUFFER_BYTES);
    http.setOutputAggregationSize(OUTPUT_AGGREGATION_BYTES);
    HttpConnectionFactory http1 = new HttpConnectionFactory(http);
    http1.setInputBufferSize(INPUT_BUFFER_BYTES);
    connector = new ServerConnector(server, 1, -1, http1);
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    connector.setAcceptQueueSize(ACCEPT_QUEUE);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder("gateway", servlet), "/*");
    server.setErrorHandler(new JsonErrorHandler());
    graceful = new GracefulHandler(context);
    // Jetty's own graceful stop puts this idle timeout on every connection, which would also cut a
    // quiet stream;
    // stop() therefore drains requests in flight first, so that by then only idle connections are
    // left.
    graceful.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MS);
    server.setHandler(graceful);
    graceMillis = settings.shutdownGraceSec() * 1000L;
    server.setStopTimeout(STOP_TIMEOUT_MS);
    server.setStopAtShutdown(false); // Main's own hook stops the server first, then Log4j
  }

  public void start() throws Exception {
    server.start();
  }

  /**
   * Stops accepting connections, waits up to the grace period for requests and streams in flight to
   * finish, then stops (closing idle keep-alive connections at once).
   */
  public void stop() throws Exception {
    connector.close();
    long deadline = System.nanoTime() + graceMillis * 1_000_000L;
    while (graceful.getCurrentRequestCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(DRAIN_POLL_MS);
    }
    server.stop();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }
}
