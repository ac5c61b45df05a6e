package org.llmgateway.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MockUpstreamTest {
  @Test
  void theSameTextAlwaysGetsTheSameUnitVector() {
    double[] v = MockUpstream.unitVector("hello world", 16);
    assertArrayEquals(v, MockUpstream.unitVector("hello world", 16));
    assertEquals(1.0, Math.sqrt(Arrays.stream(v).map(x -> x * x).sum()), 1e-9);
  }

  @Test
  void textsWithTheSameJavaHashCodeStillGetDifferentVectors() {
    assertEquals("Aa".hashCode(), "BB".hashCode());
    assertFalse(Arrays.equals(MockUpstream.unitVector("Aa", 8), MockUpstream.unitVector("BB", 8)));
  }
}
