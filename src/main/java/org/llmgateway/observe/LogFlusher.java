package org.llmgateway.observe;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractOutputStreamAppender;

/**
 * Puts every logged line on disk within {@link #INTERVAL}, whatever traffic follows. The file
 * appenders buffer ({@code immediateFlush="false"}) and flush at the end of a batch of their own
 * events only, so a line followed by an event of another log (or by silence) could sit in memory
 * indefinitely and die with a {@code kill -9}. One thread flushes every file appender each
 * interval, off the request path (the appenders' managers are synchronized), and reports lines
 * dropped by {@link LogDropPolicy} to error.log at most once a minute.
 */
public final class LogFlusher implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofMillis(200);
  static final Duration DROP_REPORT_INTERVAL = Duration.ofMinutes(1);
  private static final Logger LOG = LogManager.getLogger(LogFlusher.class);

  /** Drops already reported, and when: shared by every flusher of the JVM, as the counts are. */
  private static final AtomicLong REPORTED_DROPS = new AtomicLong();

  private static final AtomicLong LAST_REPORT_NANOS =
      new AtomicLong(System.nanoTime() - DROP_REPORT_INTERVAL.toNanos());

  private final Thread thread;
  private volatile boolean running = true;

  private LogFlusher() {
    thread = Thread.ofPlatform().daemon().name("log-flusher").start(this::run);
  }

  public static LogFlusher start() {
    return new LogFlusher();
  }

  private void run() {
    while (running) {
      LockSupport.parkNanos(INTERVAL.toNanos());
      flushAll();
      reportDrops();
    }
    flushAll();
  }

  /** Flushes every output-stream appender of the current Log4j configuration. */
  static void flushAll() {
    if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
      return;
    }
    for (Appender appender : context.getConfiguration().getAppenders().values()) {
      if (appender instanceof AbstractOutputStreamAppender<?> stream && stream.isStarted()) {
        try {
          stream.getManager().flush();
        } catch (RuntimeException e) {
          // a file being rolled over or a full disk: the next tick tries again, the appender
          // reports its own errors
        }
      }
    }
  }

  private static void reportDrops() {
    LogDropPolicy.Dropped dropped = LogDropPolicy.dropped();
    long now = System.nanoTime();
    long last = LAST_REPORT_NANOS.get();
    if (dropped.total() > REPORTED_DROPS.get()
        && now - last >= DROP_REPORT_INTERVAL.toNanos()
        && LAST_REPORT_NANOS.compareAndSet(last, now)) {
      REPORTED_DROPS.set(dropped.total());
      LOG.error(
          "log lines dropped because the disk could not keep up (since start: access={} upstream={} app={});"
              + " see gateway_log_events_dropped_total",
          dropped.access(),
          dropped.upstream(),
          dropped.app());
    }
  }

  /** Stops the thread after a last flush. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(INTERVAL.toMillis() * 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
