package org.llmgateway.http;

/**
 * The bytes of a request body as read: the first {@link #length()} bytes of {@link #buffer()} (the
 * buffer may be longer when the body came without a length). Kept in the buffer it was read into,
 * so it is never copied again.
 */
final class RequestBody {
  private final byte[] buffer;
  private final int length;

  RequestBody(byte[] buffer, int length) {
    this.buffer = buffer;
    this.length = length;
  }

  byte[] buffer() {
    return buffer;
  }

  int length() {
    return length;
  }
}
