package org.llmgateway.relay;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.llmgateway.config.Model;
import org.llmgateway.config.Operation;
import org.llmgateway.config.Provider;
import org.llmgateway.config.ProviderType;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.observe.AttemptOutcome;
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
 * Runs one client request through its plan of attempts: one loop for stream and non-stream. Before
 * anything reaches the client every failure goes back into the loop (next key, next provider); the
 * response commits only once an upstream answered usefully (for a stream: 200 plus its first
 * complete event). After the commit, an upstream failure ends the stream with an error event. When
 * every remaining candidate key is cooling and one comes back within the key wait and the deadline,
 * the request waits for it instead of failing. Thread-safe; one call per request on the request's
 * virtual thread.
 */
public final class Relay {
  /** Upstream error bodies are read whole up to this size, to classify and to relay them. */
  private static final int ERROR_BODY_MAX = 256 * 1024;

  private static final long MIN_WAIT_CHARGE_NANOS = 1_000_000L;

  /**
   * The collaborators and limits of a relay.
   *
   * @param keyWait how long in all one request may wait for a cooling key to come back (zero: never
   *     wait)
   */
  public record Config(
      Upstream http,
      Upstream mock,
      KeyPool keys,
      Circuits circuits,
      Router router,
      StallGuard stalls,
      Observer observer,
      int maxAttempts,
      Duration requestTimeout,
      Duration keyCooldown,
      Duration keyWait,
      boolean exposeSelection,
      boolean logBodies,
      Clock clock) {}

  private final Config c;

  public Relay(Config config) {
    this.c = config;
  }

  public void relay(
      Operation operation,
      ClientBody body,
      Model model,
      Snapshot snapshot,
      Exchange exchange,
      HttpServletResponse response)
      throws IOException {
    relay(operation, body, model, snapshot, exchange, response, Map.of());
  }

  /**
   * Relays one request. {@code clientHeaders} go upstream only where the upstream speaks the
   * client's dialect; a body in another dialect is translated behind the {@link Upstream} seam, so
   * this one loop serves every front door.
   */
  public void relay(
      Operation operation,
      ClientBody body,
      Model model,
      Snapshot snapshot,
      Exchange exchange,
      HttpServletResponse response,
      Map<String, String> clientHeaders)
      throws IOException {
    Optional<StreamRelay> stream =
        answer(operation, body, model, snapshot, exchange, response, clientHeaders);
    if (stream.isPresent()) {
      stream.get().relay(response, operation);
    }
  }

  /**
   * The attempt loop: answers the client, or returns the stream whose first event arrived, to be
   * relayed by the caller once this frame (and with it the request body) is gone.
   */
  private Optional<StreamRelay> answer(
      Operation operation,
      ClientBody body,
      Model model,
      Snapshot snapshot,
      Exchange exchange,
      HttpServletResponse response,
      Map<String, String> clientHeaders)
      throws IOException {
    List<Route> routes = c.router().routes(snapshot, model, operation, body.provider());
    if (routes.isEmpty()) {
      throw new GatewayException(
          ErrorKind.NO_PROVIDER,
          "no provider available: no allowed provider of model "
              + model.name()
              + " serves "
              + operation.configName());
    }
    Plan plan = new Plan(routes, c.keys(), c.circuits(), c.maxAttempts());
    Failures failures = new Failures();
    long deadline = exchange.startNanos + c.requestTimeout().toNanos();
    long waitLeft = c.keyWait().toNanos();
    while (true) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        failures.deadlinePassed();
        break;
      }
      Optional<Attempt> next = plan.next();
      if (next.isEmpty()) {
        long wait = plan.untilKeyReturns().map(Duration::toNanos).orElse(Long.MAX_VALUE);
        if (wait > waitLeft || wait >= remaining) {
          break;
        }
        // at least a millisecond off the budget per wait, so keys cooled again at once cannot keep
        // a request spinning
        waitLeft -= Math.max(park(wait), MIN_WAIT_CHARGE_NANOS);
        plan.revisitCooling();
        continue;
      }
      AttemptResult result =
          attempt(next.get(), operation, body, remaining, exchange, response, clientHeaders);
      if (result instanceof AttemptResult.Streaming streaming) {
        return Optional.of(streaming.stream());
      }
      if (!(result instanceof AttemptResult.Failed failed)) {
        return Optional.empty();
      }
      failures.add(failed);
      if (failed.deadlinePassed()) {
        break;
      }
      plan.after(failed.decision());
    }
    failures.answer(plan, model, exchange, response);
    return Optional.empty();
  }

  /**
   * Sends one attempt and either answers the client or says why it failed; nothing reaches the
   * client on failure.
   */
  private AttemptResult attempt(
      Attempt attempt,
      Operation operation,
      ClientBody body,
      long remainingNanos,
      Exchange exchange,
      HttpServletResponse response,
      Map<String, String> clientHeaders)
      throws IOException {
    Provider provider = attempt.route().provider();
    exchange.attempt(
        attempt.number(), provider.name(), attempt.key().id(), attempt.route().upstreamModel());
    // request_defaults are in the provider's dialect: a translated body gets them after its
    // translation
    Operation target = provider.target(operation, body.stream());
    byte[] upstreamBody =
        BodyRewrite.rewrite(
            body,
            attempt.route().upstreamModel(),
            target == operation ? provider.requestDefaults() : Map.of());
    Duration timeout = Duration.ofNanos(Math.min(provider.timeout().toNanos(), remainingNanos));
    UpstreamRequest request =
        new UpstreamRequest(
            operation,
            attempt,
            provider.url(target, attempt.route().upstreamModel()),
            upstreamBody,
            body.stream(),
            exchange.requestId,
            timeout,
            clientHeaders);
    long sent = System.nanoTime();
    UpstreamResponse upstreamResponse;
    try {
      upstreamResponse = upstream(provider).send(request);
    } catch (IOException e) {
      return networkFailure(request, e, remainingNanos < provider.timeout().toNanos(), sent);
    } catch (RuntimeException e) {
      c.circuits().release(provider.name());
      throw e;
    }
    exchange.upstreamStatus(upstreamResponse.status());
    if (upstreamResponse.status() < 400) {
      return success(request, upstreamResponse, sent, exchange, response);
    }
    return errorAnswer(request, upstreamResponse, sent, exchange, response);
  }

  /**
   * A 2xx/3xx: relay it (a stream commits after its first event); a break before the commit is a
   * failure.
   */
  private AttemptResult success(
      UpstreamRequest request,
      UpstreamResponse upstreamResponse,
      long sent,
      Exchange exchange,
      HttpServletResponse response)
      throws IOException {
    Attempt attempt = request.attempt();
    Provider provider = attempt.route().provider();
    Optional<String> broken;
    StreamRelay stream = null;
    if (request.stream() && upstreamResponse.isEventStream()) {
      stream =
          new StreamRelay(upstreamResponse, c.stalls(), provider.timeout(), exchange, c.observer());
      broken = stream.awaitFirstEvent();
    } else {
      selection(response, attempt);
      broken =
          BodyRelay.relay(upstreamResponse, c.stalls(), provider.timeout(), exchange, response);
    }
    if (broken.isPresent()) {
      return providerLost(
          request,
          bodySent(request, upstreamResponse),
          upstreamResponse.status(),
          broken.get(),
          sent);
    }
    c.circuits().succeeded(provider.name());
    c.keys().succeeded(provider.name(), attempt.key().id());
    report(
        request,
        bodySent(request, upstreamResponse),
        upstreamResponse.status(),
        AttemptOutcome.OK,
        "",
        sent,
        null);
    if (stream != null) {
      selection(response, attempt);
      return new AttemptResult.Streaming(stream);
    }
    return AttemptResult.ANSWERED;
  }

  /** A 4xx/5xx: classify it; a request-level 4xx is relayed at once, the rest fail over. */
  private AttemptResult errorAnswer(
      UpstreamRequest request,
      UpstreamResponse upstreamResponse,
      long sent,
      Exchange exchange,
      HttpServletResponse response)
      throws IOException {
    Attempt attempt = request.attempt();
    String provider = attempt.providerName();
    int status = upstreamResponse.status();
    ErrorAnswer answer;
    try {
      answer =
          ErrorAnswer.read(
              upstreamResponse, ERROR_BODY_MAX, c.stalls(), attempt.route().provider().timeout());
    } catch (IOException e) {
      return providerLost(
          request,
          bodySent(request, upstreamResponse),
          status,
          "error body unreadable: " + NetworkFailure.describe(e),
          sent);
    }
    String reason = "HTTP " + status;
    Decision decision = Failover.decide(status, answer.text());
    switch (decision) {
      case NEXT_KEY -> {
        Duration cooldown =
            Failover.cooldown(
                status, upstreamResponse.header("retry-after"), c.keyCooldown(), c.clock());
        c.circuits().succeeded(provider);
        c.keys().failed(provider, attempt.key().id(), reason, cooldown);
        if (!cooldown.isZero()) {
          c.observer().cooledDown(provider, attempt.key().id(), cooldown.toSeconds(), reason);
        }
        report(
            request,
            bodySent(request, upstreamResponse),
            status,
            AttemptOutcome.NEXT_KEY,
            reason,
            sent,
            answer.body());
      }
      case NEXT_PROVIDER -> {
        providerFailed(attempt, reason);
        report(
            request,
            bodySent(request, upstreamResponse),
            status,
            AttemptOutcome.NEXT_PROVIDER,
            reason,
            sent,
            answer.body());
      }
      default -> {
        c.circuits().succeeded(provider);
        report(
            request,
            bodySent(request, upstreamResponse),
            status,
            AttemptOutcome.RELAYED,
            reason,
            sent,
            answer.body());
        selection(response, attempt);
        answer.writeTo(response, exchange);
        return AttemptResult.ANSWERED;
      }
    }
    return new AttemptResult.Failed(decision, provider + ": " + reason, Optional.of(answer), false);
  }

  private AttemptResult networkFailure(
      UpstreamRequest request, IOException e, boolean deadlineBound, long sent) {
    String provider = request.attempt().providerName();
    String reason = NetworkFailure.describe(e);
    if (deadlineBound && NetworkFailure.isTimeout(e)) {
      // the request's own deadline ran out, not the provider's timeout_ms: not the provider's fault
      c.circuits().release(provider);
      report(
          request,
          request.body(),
          0,
          AttemptOutcome.NETWORK_ERROR,
          "request deadline passed",
          sent,
          null);
      return new AttemptResult.Failed(
          Decision.NEXT_PROVIDER, provider + ": " + reason, Optional.empty(), true);
    }
    if (NetworkFailure.isLocal(e)) {
      // the gateway's own resources ran out, not the provider's fault: no circuit, no cooldown
      c.circuits().release(provider);
      reason = "gateway resource exhausted: " + reason;
      report(request, request.body(), 0, AttemptOutcome.NETWORK_ERROR, reason, sent, null);
      return new AttemptResult.Failed(
          Decision.NEXT_PROVIDER, provider + ": " + reason, Optional.empty(), false);
    }
    return providerLost(request, request.body(), 0, reason, sent);
  }

  /**
   * An attempt lost at the network level (or a body that broke before the commit): on to the next
   * provider.
   */
  private AttemptResult providerLost(
      UpstreamRequest request, byte[] bodySent, int status, String reason, long sent) {
    providerFailed(request.attempt(), reason);
    report(request, bodySent, status, AttemptOutcome.NETWORK_ERROR, reason, sent, null);
    return new AttemptResult.Failed(
        Failover.decideNetworkFailure(),
        request.attempt().providerName() + ": " + reason,
        Optional.empty(),
        false);
  }

  private void providerFailed(Attempt attempt, String reason) {
    c.circuits().failed(attempt.providerName());
    c.keys().failed(attempt.providerName(), attempt.key().id(), reason, Duration.ZERO);
  }

  /**
   * Waits {@code nanos} for a cooling key (a parked virtual thread costs no carrier); returns the
   * time waited.
   */
  private long park(long nanos) {
    long start = System.nanoTime();
    long end = start + nanos;
    for (long left = nanos; left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
    long waited = System.nanoTime() - start;
    c.observer().waitedForKey(waited);
    return waited;
  }

  private Upstream upstream(Provider provider) {
    return provider.type() == ProviderType.MOCK ? c.mock() : c.http();
  }

  private void selection(HttpServletResponse response, Attempt attempt) {
    if (c.exposeSelection()) {
      response.setHeader("X-Selected-Provider", attempt.providerName());
      response.setHeader("X-Selected-Key-Id", attempt.key().id());
      response.setHeader("X-Gateway-Attempts", Integer.toString(attempt.number()));
    }
  }

  /**
   * What the upstream.log shows as sent: the provider's dialect when the attempt was translated.
   */
  private static byte[] bodySent(UpstreamRequest request, UpstreamResponse upstreamResponse) {
    return upstreamResponse.bodySent().orElse(request.body());
  }

  private void report(
      UpstreamRequest request,
      byte[] bodySent,
      int status,
      AttemptOutcome outcome,
      String error,
      long sentNanos,
      byte[] errorBody) {
    Attempt a = request.attempt();
    byte[] logged = c.logBodies() ? bodySent : null;
    c.observer()
        .attempt(
            new AttemptRecord(
                request.requestId(),
                a.route().provider(),
                a.key().id(),
                a.number(),
                request.url(),
                request.stream(),
                logged,
                status,
                outcome,
                error,
                System.nanoTime() - sentNanos,
                c.logBodies() ? errorBody : null));
  }
}
