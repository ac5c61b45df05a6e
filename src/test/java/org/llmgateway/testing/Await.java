package org.llmgateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition instead of sleeping a fixed time. */
public final class Await {
  private Await() {}

  /**
   * Waits until {@code condition} holds; fails with {@code what} (and the last value) after {@code
   * timeout}.
   */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + " ms waiting for: " + what);
      }
      pause();
    }
  }

  /** Like {@link #until}, showing {@code state} in the failure message. */
  public static void until(
      Duration timeout, String what, BooleanSupplier condition, Supplier<?> state) {
    try {
      until(timeout, what, condition);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last state: " + state.get(), e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
