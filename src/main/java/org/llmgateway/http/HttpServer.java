package org.llmgateway.http;

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
import org.llmgateway.Gateway;

/**
 * Embedded Jetty 12 (ee11, Servlet 6.1): platform threads for acceptors and selectors, every servlet call on its own
 * virtual thread, the one {@link GatewayServlet} on {@code /*}, graceful stop that lets requests and streams in
 * flight finish within the grace period.
 */
public final class HttpServer {
  /**
   * Idle I/O buffers Jetty may keep for reuse, per kind (heap, direct). Jetty's default is 1/8 of the maximum heap
   * each, which after a peak of thousands of connections keeps tens of MB of direct memory that is never given back.
   */
  private static final long POOL_IDLE_BYTES = 4L * 1024 * 1024;

  private final Server server;
  private final ServerConnector connector;
  private final GracefulHandler graceful;
  private final long graceMillis;

  public HttpServer(Gateway gateway, Endpoint metrics, Endpoint admin) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("jetty");
    VirtualThreadPool virtual = new VirtualThreadPool();
    virtual.setName("request");
    virtual.setMaxConcurrentTasks(100_000);
    threads.setVirtualThreadsExecutor(virtual);
    server = new Server(threads, null, new ArrayByteBufferPool(0, -1, -1, Integer.MAX_VALUE, POOL_IDLE_BYTES, POOL_IDLE_BYTES));

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(16 * 1024);
    // No write is aggregated: an aggregation buffer, once taken, stays with its response until the response ends, so
    // every open SSE stream would hold one (4 KiB of direct memory each with thousands open) although each event is
    // written and flushed at once anyway. Every write goes straight to the connection, headers with the first one.
    // The output buffer size still sizes the response header buffer, taken only while headers are written.
    http.setOutputBufferSize(4096);
    http.setOutputAggregationSize(0);
    connector = new ServerConnector(server, 1, -1, new HttpConnectionFactory(http));
    connector.setHost(gateway.settings().host());
    connector.setPort(gateway.settings().port());
    connector.setIdleTimeout(300_000);
    connector.setAcceptQueueSize(4096);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder("gateway", new GatewayServlet(gateway, metrics, admin)), "/*");
    server.setErrorHandler(new JsonErrorHandler());
    graceful = new GracefulHandler(context);
    // Jetty's own graceful stop puts this idle timeout on every connection, which would also cut a quiet stream;
    // stop() therefore drains requests in flight first, so that by then only idle connections are left.
    graceful.setShutdownIdleTimeout(100);
    server.setHandler(graceful);
    graceMillis = gateway.settings().shutdownGraceSec() * 1000L;
    server.setStopTimeout(1000);
    server.setStopAtShutdown(false); // Main's own hook stops the server first, then Log4j
  }

  public void start() throws Exception {
    server.start();
  }

  /**
   * Stops accepting connections, waits up to the grace period for requests and streams in flight to finish, then
   * stops (closing idle keep-alive connections at once).
   */
  public void stop() throws Exception {
    connector.close();
    long deadline = System.nanoTime() + graceMillis * 1_000_000L;
    while (graceful.getCurrentRequestCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    server.stop();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }
}
