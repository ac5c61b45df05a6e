package org.llmgateway.observe;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The gateway's {@link Observer}: access, upstream and app/error logs through asynchronous Log4j2
 * loggers, plus metrics and stats. Every method returns at once; formatting happens on the logger
 * thread.
 */
public final class Telemetry implements Observer {
  private static final Logger ACCESS = LogManager.getLogger("access");
  private static final Logger UPSTREAM = LogManager.getLogger("upstream");
  private static final Logger APP = LogManager.getLogger("org.llmgateway.request");

  private final int logBodyMaxBytes;
  private final Metrics metrics;
  private final Stats stats;
  private final InFlight inFlight = new InFlight();

  public Telemetry(int logBodyMaxBytes, Metrics metrics, Stats stats) {
    this.logBodyMaxBytes = logBodyMaxBytes;
    this.metrics = metrics;
    this.stats = stats;
  }

  public Stats stats() {
    return stats;
  }

  /** The requests being served now. */
  public InFlight inFlight() {
    return inFlight;
  }

  @Override
  public void started(Exchange exchange) {
    inFlight.add(exchange);
  }

  @Override
  public void attempt(AttemptRecord attempt) {
    UPSTREAM.log(
        LogLevels.UPSTREAM, new UpstreamLine(attempt, System.currentTimeMillis(), logBodyMaxBytes));
    metrics.attempt(attempt);
    stats.attempt(attempt);
  }

  @Override
  public void cooledDown(String provider, String keyId, long seconds, String reason) {
    APP.warn(
        "key cooled down: provider={} key_id={} seconds={} reason={}",
        provider,
        keyId,
        seconds,
        reason);
    metrics.cooledDown(provider, keyId);
    stats.cooledDown(provider, keyId, seconds, reason);
  }

  @Override
  public void waitedForKey(long nanos) {
    metrics.waitedForKey(nanos);
  }

  @Override
  public void streamOpened() {
    metrics.streamOpened();
    stats.streamOpened();
  }

  @Override
  public void streamClosed() {
    metrics.streamClosed();
    stats.streamClosed();
  }

  @Override
  public void finished(Exchange exchange) {
    inFlight.remove(exchange);
    ACCESS.log(LogLevels.ACCESS, new AccessLine(exchange));
    if (!exchange.model.isEmpty() || !exchange.inputModel.isEmpty()) {
      // Successful requests are already one access.log line each: their summary is DEBUG, so
      // app.log (and stdout)
      // carry the failures, not a second copy of the traffic. Raise org.llmgateway.request to INFO
      // to see them all.
      APP.log(summaryLevel(exchange), new SummaryLine(exchange));
    }
    metrics.finished(exchange);
    stats.finished(exchange);
  }

  @Override
  public void rateLimited(String gatewayKeyId, String limit) {
    metrics.rateLimited(gatewayKeyId, limit);
  }

  @Override
  public void reloaded(ReloadResult result) {
    metrics.reloaded(result);
  }

  static Level summaryLevel(Exchange exchange) {
    if (exchange.status >= 500) {
      return Level.ERROR;
    }
    if (exchange.status >= 400 || !exchange.errorType.isEmpty()) {
      return Level.WARN;
    }
    return Level.DEBUG;
  }
}
