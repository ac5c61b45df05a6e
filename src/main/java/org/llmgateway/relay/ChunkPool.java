package org.llmgateway.relay;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A small lock-free pool of equal-sized byte arrays for relaying stream events. A stream takes an
 * array only while bytes are in flight (read from the upstream, written to the client) and gives it
 * back before it waits for the next event, so thousands of open, mostly idle streams share a few
 * dozen arrays instead of holding one each. Arrays beyond the pool's slots are left to the garbage
 * collector, so a burst never pins memory.
 */
final class ChunkPool {
  /**
   * Probing this many slots keeps take/give cheap while still finding a free array under
   * contention.
   */
  private static final int PROBES = 4;

  private final int size;
  private final AtomicReferenceArray<byte[]> slots;

  ChunkPool(int arraySize, int slotCount) {
    this.size = arraySize;
    this.slots = new AtomicReferenceArray<>(slotCount);
  }

  /** An array of {@link #arraySize()} bytes, from the pool when one is free, else a new one. */
  byte[] take() {
    int n = slots.length();
    int start = ThreadLocalRandom.current().nextInt(n);
    for (int i = 0; i < PROBES; i++) {
      int slot = (start + i) % n;
      byte[] b = slots.getPlain(slot);
      if (b != null && slots.compareAndSet(slot, b, null)) {
        return b;
      }
    }
    return new byte[size];
  }

  /** Returns an array taken from this pool; the caller must not touch it afterwards. */
  void give(byte[] b) {
    if (b.length != size) {
      return;
    }
    int n = slots.length();
    int start = ThreadLocalRandom.current().nextInt(n);
    for (int i = 0; i < PROBES; i++) {
      int slot = (start + i) % n;
      if (slots.getPlain(slot) == null && slots.compareAndSet(slot, null, b)) {
        return;
      }
    }
  }

  int arraySize() {
    return size;
  }
}
