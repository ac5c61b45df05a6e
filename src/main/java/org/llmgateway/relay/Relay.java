package org.llmgateway.relay;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llmgateway.config.Model;
import org.llmgateway.config.Operation;
import org.llmgateway.config.Provider;
import org.llmgateway.config.ProviderType;
import org.llmgateway.http.ErrorKind;
import org.llmgateway.http.GatewayException;
import org.llmgateway.observe.AttemptRecord;
import org.llmgateway.observe.Exchange;
import org.llmgateway.observe.Observer;
import org.llmgateway.routing.Attempt;
import org.llmgateway.routing.Circuits;
import org.llmgateway.routing.Decision;
import org.llmgateway.routing.Failover;
import org.llmgateway.routing.KeyPool;
import org.llmgateway.routing.Plan;
import org.llmgateway.routing.Route;
import org.llmgateway.routing.Router;
import org.llmgateway.routing.Snapshot;
import org.llmgateway.upstream.Upstream;
import org.llmgateway.upstream.UpstreamRequest;
import org.llmgateway.upstream.UpstreamResponse;

/**
 * Runs one client request through its plan of attempts: one loop for stream and non-stream. Before anything reaches
 * the client every failure goes back into the loop (next key, next provider); the response commits only once an
 * upstream answered usefully (for a stream: 200 plus its first complete event). After the commit, an upstream failure
 * ends the stream with an error event. Thread-safe; one call per request on the request's virtual thread.
 */
public final class Relay {
  /** Upstream error bodies are read whole up to this size, to classify and to relay them. */
  private static final int ERROR_BODY_MAX = 256 * 1024;
  /** Usage sits at the end of a completion; this much of the end is kept to find it. */
  private static final int USAGE_TAIL = 1024;

  /** The collaborators and limits of a relay. */
  public record Config(Upstream http, Upstream mock, KeyPool keys, Circuits circuits, Router router, StallGuard stalls,
      Observer observer, int maxAttempts, Duration requestTimeout, Duration keyCooldown, boolean exposeSelection,
      boolean logBodies, Clock clock) {}

  private final Config c;

  public Relay(Config config) {
    this.c = config;
  }

  public void relay(Operation operation, ClientBody body, Model model, Snapshot snapshot, Exchange exchange,
      HttpServletResponse response) throws IOException {
    relay(operation, body, model, snapshot, exchange, response, Map.of());
  }

  /**
   * Relays one request. {@code clientHeaders} go upstream only where the upstream speaks the client's dialect; a body
   * in another dialect is translated behind the {@link Upstream} seam, so this one loop serves every front door.
   */
  public void relay(Operation operation, ClientBody body, Model model, Snapshot snapshot, Exchange exchange,
      HttpServletResponse response, Map<String, String> clientHeaders) throws IOException {
    List<Route> routes = c.router().routes(snapshot, model, operation, body.provider());
    if (routes.isEmpty()) {
      throw new GatewayException(ErrorKind.NO_PROVIDER,
          "no provider available: no allowed provider of model " + model.name() + " serves " + operation.configName());
    }
    Plan plan = new Plan(routes, c.keys(), c.circuits(), c.maxAttempts());
    long deadline = exchange.startNanos + c.requestTimeout().toNanos();
    List<String> networkFailures = new ArrayList<>();
    ErrorAnswer lastAnswer = null;
    boolean outOfTime = false;
    while (true) {
      // the deadline is checked before taking an attempt, so that no half-open circuit's probe is taken for nothing
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        outOfTime = true;
        break;
      }
      Optional<Attempt> next = plan.next();
      if (next.isEmpty()) {
        break;
      }
      Attempt attempt = next.get();
      Provider provider = attempt.route().provider();
      boolean deadlineBound = remaining < provider.timeout().toNanos();
      exchange.attempts = attempt.number();
      exchange.provider = provider.name();
      exchange.keyId = attempt.key().id();
      exchange.providerModel = attempt.route().upstreamModel();
      // request_defaults are in the provider's dialect: a translated body gets them after its translation
      Operation target = provider.target(operation, body.stream());
      byte[] upstreamBody = BodyRewrite.rewrite(body, attempt.route().upstreamModel(),
          target == operation ? provider.requestDefaults() : Map.of());
      Duration timeout = Duration.ofNanos(Math.min(provider.timeout().toNanos(), remaining));
      UpstreamRequest request = new UpstreamRequest(operation, attempt,
          provider.url(target, attempt.route().upstreamModel()), upstreamBody, body.stream(), exchange.requestId,
          timeout, clientHeaders);
      long sent = System.nanoTime();
      UpstreamResponse upstreamResponse;
      try {
        upstreamResponse = upstream(provider).send(request);
      } catch (IOException e) {
        String reason = NetworkFailure.describe(e);
        if (deadlineBound && NetworkFailure.isTimeout(e)) {
          // the request's own deadline ran out, not the provider's timeout_ms: not the provider's fault
          networkFailures.add(provider.name() + ": " + reason);
          c.circuits().release(provider.name());
          report(request, 0, "network_error", "request deadline passed", sent, null);
          outOfTime = true;
          break;
        }
        if (NetworkFailure.isLocal(e)) {
          // the gateway's own resources ran out, not the provider's fault: no circuit, no cooldown
          reason = "gateway resource exhausted: " + reason;
          networkFailures.add(provider.name() + ": " + reason);
          report(request, 0, "network_error", reason, sent, null);
          plan.after(Failover.decideNetworkFailure());
        } else {
          providerLost(request, 0, reason, sent, networkFailures, plan);
        }
        continue;
      } catch (RuntimeException e) {
        c.circuits().release(provider.name());
        throw e;
      }
      int status = upstreamResponse.status();
      exchange.upstreamStatus = status;
      if (status < 400) {
        if (body.stream() && upstreamResponse.isEventStream()) {
          StreamRelay stream = new StreamRelay(upstreamResponse, c.stalls(), provider.timeout(), exchange, c.observer());
          Optional<String> failure = stream.awaitFirstEvent();
          if (failure.isPresent()) {
            providerLost(request, status, failure.get(), sent, networkFailures, plan);
            continue;
          }
          succeeded(attempt);
          report(request, status, "ok", "", sent, null);
          selection(response, attempt);
          stream.relay(response, operation);
        } else {
          selection(response, attempt);
          Optional<String> broken = relayBody(upstreamResponse, provider.timeout(), exchange, response);
          if (broken.isPresent()) {
            // nothing reached the client yet: as good as a failed attempt
            providerLost(request, status, broken.get(), sent, networkFailures, plan);
            continue;
          }
          succeeded(attempt);
          report(request, status, "ok", "", sent, null);
        }
        return;
      }
      ErrorAnswer answer;
      try {
        answer = ErrorAnswer.read(upstreamResponse, ERROR_BODY_MAX, c.stalls(), provider.timeout());
      } catch (IOException e) {
        providerLost(request, status, "error body unreadable: " + NetworkFailure.describe(e), sent, networkFailures, plan);
        continue;
      }
      Decision decision = Failover.decide(status, answer.text());
      switch (decision) {
        case NEXT_KEY -> {
          Duration cooldown = Failover.cooldown(status, upstreamResponse.header("retry-after"), c.keyCooldown(), c.clock());
          c.circuits().succeeded(provider.name());
          c.keys().failed(provider.name(), attempt.key().id(), "HTTP " + status, cooldown);
          if (!cooldown.isZero()) {
            c.observer().cooledDown(provider.name(), attempt.key().id(), cooldown.toSeconds(), "HTTP " + status);
          }
          report(request, status, "next_key", "HTTP " + status, sent, answer.body());
          lastAnswer = answer;
        }
        case NEXT_PROVIDER -> {
          providerFailed(attempt, "HTTP " + status);
          report(request, status, "next_provider", "HTTP " + status, sent, answer.body());
          lastAnswer = answer;
        }
        default -> {
          c.circuits().succeeded(provider.name());
          report(request, status, "relayed", "HTTP " + status, sent, answer.body());
          selection(response, attempt);
          answer.writeTo(response, exchange);
          return;
        }
      }
      plan.after(decision);
    }
    allFailed(plan, model, lastAnswer, networkFailures, outOfTime, exchange, response);
  }

  /** An attempt lost at the network level (or a body that broke before the commit): on to the next provider. */
  private void providerLost(UpstreamRequest request, int status, String reason, long sent, List<String> failures,
      Plan plan) {
    failures.add(request.attempt().providerName() + ": " + reason);
    providerFailed(request.attempt(), reason);
    report(request, status, "network_error", reason, sent, null);
    plan.after(Failover.decideNetworkFailure());
  }

  private void allFailed(Plan plan, Model model, ErrorAnswer lastAnswer, List<String> networkFailures,
      boolean outOfTime, Exchange exchange, HttpServletResponse response) throws IOException {
    if (lastAnswer != null) {
      exchange.error("upstream_error", "all attempts failed; relaying the last upstream answer");
      lastAnswer.writeTo(response, exchange);
      return;
    }
    if (outOfTime) {
      throw new GatewayException(ErrorKind.TIMEOUT,
          "upstream request failed: the request deadline passed after " + plan.attempts() + " attempt(s)"
              + (networkFailures.isEmpty() ? "" : ": " + String.join("; ", networkFailures)));
    }
    if (!networkFailures.isEmpty()) {
      throw new GatewayException(ErrorKind.UPSTREAM_FAILED,
          "upstream request failed: " + String.join("; ", networkFailures));
    }
    List<String> why = plan.skipped();
    throw new GatewayException(ErrorKind.NO_PROVIDER, "no provider available"
        + (why.isEmpty() ? " for model " + model.name() : ": " + String.join("; ", why)));
  }

  private Upstream upstream(Provider provider) {
    return provider.type() == ProviderType.MOCK ? c.mock() : c.http();
  }

  private void succeeded(Attempt attempt) {
    c.circuits().succeeded(attempt.providerName());
    c.keys().succeeded(attempt.providerName(), attempt.key().id());
  }

  private void providerFailed(Attempt attempt, String reason) {
    c.circuits().failed(attempt.providerName());
    c.keys().failed(attempt.providerName(), attempt.key().id(), reason, Duration.ZERO);
  }

  private void selection(HttpServletResponse response, Attempt attempt) {
    if (c.exposeSelection()) {
      response.setHeader("X-Selected-Provider", attempt.providerName());
      response.setHeader("X-Selected-Key-Id", attempt.key().id());
      response.setHeader("X-Gateway-Attempts", Integer.toString(attempt.number()));
    }
  }

  private void report(UpstreamRequest request, int status, String outcome, String error, long sentNanos, byte[] errorBody) {
    Attempt a = request.attempt();
    byte[] logged = c.logBodies() ? request.body() : null;
    c.observer().attempt(new AttemptRecord(request.requestId(), a.route().provider(), a.key().id(), a.number(),
        request.url(), request.stream(), logged, status, outcome, error,
        System.nanoTime() - sentNanos, c.logBodies() ? errorBody : null));
  }

  /**
   * Copies a non-stream body through as it arrives (never held whole), cut if the upstream goes silent. Returns why
   * the upstream broke off when that happened before anything reached the client (the response is reset, so the
   * caller may fail over); after the commit, a break ends the client's response cut ({@link ClientAbort}).
   */
  private Optional<String> relayBody(UpstreamResponse upstreamResponse, Duration silence, Exchange exchange,
      HttpServletResponse response) throws IOException {
    response.setStatus(upstreamResponse.status());
    ResponseHeaders.copy(upstreamResponse.headers(), response, true);
    byte[] buf = new byte[16 * 1024];
    byte[] tail = new byte[USAGE_TAIL];
    int tailLength = 0;
    var out = response.getOutputStream();
    try (upstreamResponse; StallGuard.Watch watch = c.stalls().watch(silence.toNanos(), upstreamResponse)) {
      InputStream in = upstreamResponse.body();
      int n;
      while (true) {
        try {
          n = in.read(buf);
        } catch (IOException e) {
          String reason = "upstream body interrupted: " + (watch.stalled() ? "upstream went silent" : NetworkFailure.describe(e));
          if (!response.isCommitted()) {
            response.reset();
            response.setHeader("X-Request-Id", exchange.requestId);
            exchange.bytesOut = 0;
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
        exchange.bytesOut += n;
        tailLength = keepTail(tail, tailLength, buf, n);
      }
      Usage.scan(tail, 0, tailLength, exchange);
    }
    return Optional.empty();
  }

  /** Keeps the last {@code tail.length} bytes seen, so that usage split across two reads is still found. */
  static int keepTail(byte[] tail, int tailLength, byte[] chunk, int n) {
    if (n >= tail.length) {
      System.arraycopy(chunk, n - tail.length, tail, 0, tail.length);
      return tail.length;
    }
    int keep = Math.min(tailLength, tail.length - n);
    System.arraycopy(tail, tailLength - keep, tail, 0, keep);
    System.arraycopy(chunk, 0, tail, keep, n);
    return keep + n;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
