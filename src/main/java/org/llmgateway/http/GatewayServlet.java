package org.llmgateway.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.llmgateway.config.Dialect;
import org.llmgateway.config.Operation;
import org.llmgateway.core.Gateway;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.ErrorShape;
import org.llmgateway.error.ErrorWriter;
import org.llmgateway.error.GatewayException;
import org.llmgateway.observe.Exchange;
import org.llmgateway.relay.ClientAbort;

/**
 * The one servlet, mapped to {@code /*}, holding the route table: OpenAI operations by path suffix
 * under any prefix, models, health, metrics and admin. Every error becomes an OpenAI-style JSON
 * body here; every request ends in exactly one {@link org.llmgateway.observe.Observer#finished}
 * call.
 */
public final class GatewayServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LogManager.getLogger(GatewayServlet.class);

  /**
   * The status logged when the client left before its answer was complete (nginx's convention;
   * never sent).
   */
  static final int CLIENT_CLOSED_REQUEST = 499;

  private final transient Gateway gateway;
  private final transient Endpoint health;
  private final transient Endpoint ready;
  private final transient Endpoint models;
  private final transient Endpoint metrics;
  private final transient Optional<Endpoint> admin;
  private final transient ModelsEndpoint modelViews;
  private final transient Endpoint[] operations = new Endpoint[Operation.values().length];

  /**
   * {@code metrics} serves {@code /metrics}; {@code admin} serves {@code /admin/...} when the admin
   * API is on (without it those paths are unknown routes).
   */
  public GatewayServlet(Gateway gateway, Endpoint metrics, Optional<Endpoint> admin) {
    this.gateway = gateway;
    HealthEndpoint h = new HealthEndpoint(gateway);
    this.health = ((Endpoint) h::health).only("GET", "HEAD");
    this.ready = ((Endpoint) h::ready).only("GET", "HEAD");
    this.modelViews = new ModelsEndpoint(gateway);
    this.models = ((Endpoint) modelViews::list).only("GET", "HEAD");
    this.metrics = metrics.only("GET", "HEAD");
    this.admin = admin;
    ProxyEndpoint proxy = new ProxyEndpoint(gateway);
    for (Operation op : Operation.values()) {
      operations[op.ordinal()] = proxy.of(op).only("POST");
    }
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) {
    long start = System.nanoTime();
    String requestId = RequestIds.accept(request.getHeader("X-Request-Id"));
    response.setHeader("X-Request-Id", requestId);
    Exchange exchange = new Exchange(requestId, start, System.currentTimeMillis());
    String path = path(request);
    String loggedPath = AccessPaths.redact(path, request.getQueryString());
    exchange.request(request.getMethod(), loggedPath, request.getRemoteAddr());
    ClientAbort cut = null;
    gateway.observer().started(exchange);
    try {
      route(path).handle(request, response, exchange);
      exchange.status(response.getStatus());
    } catch (GatewayException e) {
      BodyReader.discardRest(request);
      fail(response, exchange, e, shape(path));
    } catch (ClientAbort e) {
      if (!e.upstream()) {
        exchange.status(response.isCommitted() ? response.getStatus() : CLIENT_CLOSED_REQUEST);
        if (!exchange.failed()) {
          exchange.error("client_cancelled", "client disconnected");
        }
        abort(response);
      } else {
        // part of the body is out: only a cut connection tells the client it is incomplete (closing
        // the stream
        // would end a chunked body cleanly). Throwing after the commit is the portable way to make
        // the container
        // abort the response.
        exchange.status(response.getStatus());
        cut = e;
      }
    } catch (IOException e) {
      // reading the request or writing the response failed: the client is gone
      exchange.status(CLIENT_CLOSED_REQUEST);
      exchange.error("client_cancelled", "client connection failed: " + e.getMessage());
      abort(response);
    } catch (RuntimeException e) {
      LOG.error(
          "unexpected failure for request {} {} {}", requestId, request.getMethod(), loggedPath, e);
      fail(
          response,
          exchange,
          new GatewayException(ErrorKind.INTERNAL, "internal error; request id " + requestId),
          shape(path));
    } finally {
      exchange.end();
      gateway.observer().finished(exchange);
    }
    if (cut != null) {
      throw cut;
    }
  }

  private Endpoint route(String path) {
    switch (path) {
      case "/healthz" -> {
        return health;
      }
      case "/readyz" -> {
        return ready;
      }
      case "/metrics" -> {
        return metrics;
      }
      default -> {
        // fall through to the pattern routes below
      }
    }
    if (admin.isPresent() && (path.equals("/admin") || path.startsWith("/admin/"))) {
      return admin.get();
    }
    Optional<Operation> op = Operation.fromPath(path);
    if (op.isPresent()) {
      return operations[op.get().ordinal()];
    }
    if (path.endsWith("/models")) {
      return models;
    }
    int at = path.indexOf("/models/");
    if (at >= 0 && at + 8 < path.length()) {
      String id = path.substring(at + 8);
      return ((Endpoint) (rq, rs, ex) -> modelViews.get(id, rq, rs, ex)).only("GET", "HEAD");
    }
    return (rq, rs, ex) -> {
      throw new GatewayException(
          ErrorKind.NOT_FOUND, "unknown route: " + rq.getMethod() + " " + path, "not_found");
    };
  }

  private static String path(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    String path = context.isEmpty() ? uri : uri.substring(context.length());
    return path.isEmpty() ? "/" : path;
  }

  /**
   * The error shape a path's clients expect: Anthropic's at the Messages front door, else OpenAI's.
   */
  private static ErrorShape shape(String path) {
    return Operation.fromPath(path).filter(op -> op.dialect() == Dialect.ANTHROPIC).isPresent()
        ? ErrorShape.ANTHROPIC
        : ErrorShape.OPENAI;
  }

  private static void fail(
      HttpServletResponse response, Exchange exchange, GatewayException e, ErrorShape shape) {
    int status = ErrorWriter.status(e, shape);
    exchange.status(status);
    exchange.error(e.code() == null ? e.kind().type() : e.code(), e.getMessage());
    LOG.log(e.kind().level(), "request {} -> {} {}", exchange, status, e.getMessage());
    try {
      exchange.sent(ErrorWriter.write(response, e, shape));
    } catch (IOException io) {
      exchange.status(CLIENT_CLOSED_REQUEST);
    }
  }

  /** Ends a response that cannot be completed, so the client sees it cut rather than complete. */
  private static void abort(HttpServletResponse response) {
    try {
      if (response.isCommitted()) {
        response.getOutputStream().close();
      }
    } catch (IOException | RuntimeException ignored) {
      // already broken
    }
  }
}
