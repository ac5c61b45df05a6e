package org.llmgateway.relay;

import java.io.IOException;

/**
 * The response can no longer be completed (the client left, or the upstream broke after the commit). The request
 * ends without an error body; what happened is already recorded in the exchange.
 */
public final class ClientAbort extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClientAbort(IOException cause) {
    super(cause.getMessage(), cause, false, false);
  }
}
