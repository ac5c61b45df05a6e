package org.llmgateway.relay;

/**
 * The end of a relayed body, kept as it passes so that usage and {@code [DONE]} split across reads
 * are still found.
 */
final class Tail {
  private Tail() {}

  /**
   * Keeps the last {@code tail.length} bytes of what was seen so far; returns the new tail length.
   */
  static int keep(byte[] tail, int tailLength, byte[] chunk, int n) {
    if (n >= tail.length) {
      System.arraycopy(chunk, n - tail.length, tail, 0, tail.length);
      return tail.length;
    }
    int keep = Math.min(tailLength, tail.length - n);
    System.arraycopy(tail, tailLength - keep, tail, 0, keep);
    System.arraycopy(chunk, 0, tail, keep, n);
    return keep + n;
  }
}
