package org.llmgateway.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ChunkPoolTest {
  @Test
  void anEmptyPoolHandsOutNewArraysOfItsSize() {
    ChunkPool pool = new ChunkPool(64, 1);
    byte[] a = pool.take();
    byte[] b = pool.take();
    assertEquals(64, a.length);
    assertNotSame(a, b);
  }

  @Test
  void anArrayGivenBackIsHandedOutAgain() {
    ChunkPool pool = new ChunkPool(64, 1);
    byte[] a = pool.take();
    pool.give(a);
    assertSame(a, pool.take());
    assertNotSame(a, pool.take(), "taken once, the array is no longer in the pool");
  }

  @Test
  void arraysBeyondItsSlotsOrOfAnotherSizeAreLeftToTheCollector() {
    ChunkPool pool = new ChunkPool(64, 1);
    byte[] first = pool.take();
    byte[] second = pool.take();
    pool.give(new byte[128]);
    pool.give(first);
    pool.give(second); // the one slot is taken by first
    assertSame(first, pool.take());
    assertNotSame(second, pool.take());
  }
}
