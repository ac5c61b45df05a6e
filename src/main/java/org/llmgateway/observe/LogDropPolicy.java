package org.llmgateway.observe;

import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.async.AsyncQueueFullPolicy;
import org.apache.logging.log4j.core.async.DefaultAsyncQueueFullPolicy;
import org.apache.logging.log4j.core.async.EventRoute;

/**
 * What the asynchronous loggers do when their ring buffer is full (the disk cannot keep up): a
 * request thread never waits for an INFO line (access, upstream, app): the line is dropped and
 * counted per log, and the counts reach the metrics and error.log ({@link LogFlusher}). Warnings
 * and errors are rare and kept: they wait for room, as Log4j's default policy does. Named in {@code
 * log4j2.component.properties}; Log4j creates it.
 */
public final class LogDropPolicy implements AsyncQueueFullPolicy {
  private static final LongAdder ACCESS = new LongAdder();
  private static final LongAdder UPSTREAM = new LongAdder();
  private static final LongAdder APP = new LongAdder();

  /** Lines dropped since start, per log. */
  public record Dropped(long access, long upstream, long app) {
    public long total() {
      return access + upstream + app;
    }
  }

  private final DefaultAsyncQueueFullPolicy keep = new DefaultAsyncQueueFullPolicy();

  @Override
  public EventRoute getRoute(long backgroundThreadId, Level level) {
    if (level.isMoreSpecificThan(Level.WARN)) {
      return keep.getRoute(backgroundThreadId, level);
    }
    counter(level).increment();
    return EventRoute.DISCARD;
  }

  static LongAdder counter(Level level) {
    if (level == LogLevels.ACCESS) {
      return ACCESS;
    }
    return level == LogLevels.UPSTREAM ? UPSTREAM : APP;
  }

  public static Dropped dropped() {
    return new Dropped(ACCESS.sum(), UPSTREAM.sum(), APP.sum());
  }
}
