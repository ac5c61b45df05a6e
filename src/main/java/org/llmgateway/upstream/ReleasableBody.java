package org.llmgateway.upstream;

import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A request body for the JDK client that the exchange does not keep once the response has arrived.
 * {@code BodyPublishers.ofByteArray} copies the body into buffers that its subscription holds until
 * the exchange ends, so every open stream kept a second copy of its request (a long conversation is
 * tens or hundreds of KB) for its whole life. Here the JDK copies the body piece by piece while it
 * sends it and drops each piece once written; {@link #release()} then lets go of the array. The
 * client resends a body only while no response has come (a pooled connection found closed), so
 * releasing once the response headers are in is safe; a body released earlier would fail the
 * exchange with too few bytes rather than send a wrong one.
 */
final class ReleasableBody implements Iterable<byte[]> {
  private final int length;
  private volatile byte[] bytes;

  ReleasableBody(byte[] bytes) {
    this.bytes = bytes;
    this.length = bytes.length;
  }

  /** The publisher to send: fixed length, so HTTP/1.1 sends a Content-Length, never chunked. */
  HttpRequest.BodyPublisher publisher() {
    return length == 0
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofByteArrays(this), length);
  }

  /** The body is not needed any more: the exchange keeps no reference to it. */
  void release() {
    bytes = null;
  }

  @Override
  public Iterator<byte[]> iterator() {
    byte[] current = bytes;
    return current == null ? Collections.emptyIterator() : new Once(current);
  }

  /** Yields the array once and forgets it, so the client's iterator holds nothing after sending. */
  private static final class Once implements Iterator<byte[]> {
    private byte[] next;

    Once(byte[] next) {
      this.next = next;
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public byte[] next() {
      byte[] out = next;
      if (out == null) {
        throw new NoSuchElementException();
      }
      next = null;
      return out;
    }
  }
}
