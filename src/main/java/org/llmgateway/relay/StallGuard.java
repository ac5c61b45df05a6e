package org.llmgateway.relay;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Cuts upstream responses that go silent for longer than their provider's {@code timeout_ms}: one
 * daemon thread looks at every open upstream body every few milliseconds and closes the ones whose
 * last read is too old, which makes the blocked read fail. Request threads only write a volatile
 * timestamp per read.
 */
public final class StallGuard implements AutoCloseable {
  private static final long TICK_NANOS = 50_000_000L;
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  private final Thread sweeper;
  private volatile boolean running = true;

  public StallGuard() {
    sweeper = Thread.ofPlatform().daemon().name("stall-guard").start(this::sweep);
  }

  /**
   * Starts watching; {@code onStall} runs on the guard thread and must only close the upstream
   * response.
   */
  public Watch watch(long timeoutNanos, AutoCloseable onStall) {
    Watch w = new Watch(timeoutNanos, onStall);
    watches.add(w);
    return w;
  }

  private void sweep() {
    while (running) {
      LockSupport.parkNanos(TICK_NANOS);
      long now = System.nanoTime();
      for (Watch w : watches) {
        if (now - w.lastActivity > w.timeoutNanos) {
          w.stalled = true;
          watches.remove(w);
          try {
            w.onStall.close();
          } catch (Exception ignored) {
            // the reader sees the failure through the closed stream
          }
        }
      }
    }
  }

  /**
   * Stops the sweeper thread and waits for it to end (a web app's undeploy must not leave it
   * behind).
   */
  @Override
  public void close() {
    running = false;
    sweeper.interrupt();
    try {
      sweeper.join(TICK_NANOS / 1_000_000 * 20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One watched upstream body. */
  public final class Watch implements AutoCloseable {
    private final long timeoutNanos;
    private final AutoCloseable onStall;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean stalled;

    private Watch(long timeoutNanos, AutoCloseable onStall) {
      this.timeoutNanos = timeoutNanos;
      this.onStall = onStall;
    }

    /** Call after every successful read. */
    public void touch() {
      lastActivity = System.nanoTime();
    }

    /** Whether the guard cut this body for silence. */
    public boolean stalled() {
      return stalled;
    }

    @Override
    public void close() {
      watches.remove(this);
    }
  }
}
