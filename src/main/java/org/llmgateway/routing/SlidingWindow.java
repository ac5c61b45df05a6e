package org.llmgateway.routing;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Attempts and failures over the last window, in {@link #BUCKETS} time buckets. Lock-free and
 * allocation-free: each bucket is one {@code long} packing the bucket's sequence number with its
 * two counters, updated by compare-and-set, so request threads recording outcomes never wait on one
 * another.
 */
final class SlidingWindow {
  static final int BUCKETS = 10;
  private static final int COUNT_BITS = 20;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final int SEQ_SHIFT = 2 * COUNT_BITS;

  private final long bucketMillis;
  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);

  SlidingWindow(long windowMillis) {
    this.bucketMillis = Math.max(1, windowMillis / BUCKETS);
  }

  void record(long nowMillis, boolean failure) {
    long seq = nowMillis / bucketMillis;
    int i = (int) (seq % BUCKETS);
    long tag = seq & ((1L << (64 - SEQ_SHIFT)) - 1);
    while (true) {
      long old = buckets.get(i);
      long attempts = 0;
      long failures = 0;
      if ((old >>> SEQ_SHIFT) == tag) {
        attempts = (old >>> COUNT_BITS) & COUNT_MASK;
        failures = old & COUNT_MASK;
      }
      if (attempts == COUNT_MASK) {
        return; // a million attempts in one bucket: the rate is known well enough
      }
      long updated =
          (tag << SEQ_SHIFT) | ((attempts + 1) << COUNT_BITS) | (failures + (failure ? 1 : 0));
      if (buckets.compareAndSet(i, old, updated)) {
        return;
      }
    }
  }

  WindowCounts counts(long nowMillis) {
    long seq = nowMillis / bucketMillis;
    long attempts = 0;
    long failures = 0;
    for (int b = 0; b < BUCKETS; b++) {
      long v = buckets.get(b);
      long tag = v >>> SEQ_SHIFT;
      long current = seq & ((1L << (64 - SEQ_SHIFT)) - 1);
      if (v != 0 && current - tag < BUCKETS && current >= tag) {
        attempts += (v >>> COUNT_BITS) & COUNT_MASK;
        failures += v & COUNT_MASK;
      }
    }
    return new WindowCounts(attempts, failures);
  }

  void clear() {
    for (int b = 0; b < BUCKETS; b++) {
      buckets.set(b, 0);
    }
  }
}
