package org.llmgateway.upstream;

import java.io.IOException;

/** Sends one attempt to a provider. Implementations are stateless and thread-safe. */
public interface Upstream {
  /**
   * Sends {@code request} and blocks until the response headers arrive or {@code request.timeout()}
   * passes.
   *
   * @return the response with its body unread; the caller must close it (closing early aborts the
   *     exchange)
   * @throws IOException on a network-level failure (refused, reset, DNS, TLS, timeout)
   */
  UpstreamResponse send(UpstreamRequest request) throws IOException;
}
