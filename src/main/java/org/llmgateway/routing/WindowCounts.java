package org.llmgateway.routing;

/** Attempts and failures counted over a breaker's window (of one replica, or of the fleet). */
public record WindowCounts(long attempts, long failures) {
  public static final WindowCounts NONE = new WindowCounts(0, 0);

  public int failureRatePercent() {
    return attempts == 0 ? 0 : (int) (failures * 100 / attempts);
  }

  public WindowCounts plus(WindowCounts other) {
    return other.attempts == 0
        ? this
        : new WindowCounts(attempts + other.attempts, failures + other.failures);
  }
}
