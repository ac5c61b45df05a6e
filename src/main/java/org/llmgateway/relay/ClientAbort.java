package org.llmgateway.relay;

import java.io.IOException;

/**
 * The response can no longer be completed (the client left, or the upstream broke after the
 * commit). The request ends without an error body; what happened is already recorded in the
 * exchange.
 */
public final class ClientAbort extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean upstream;

  /** {@code upstream}: the upstream broke after the commit (else the client is gone). */
  public ClientAbort(IOException cause, boolean upstream) {
    super(cause.getMessage(), cause, false, false);
    this.upstream = upstream;
  }

  /**
   * Whether the upstream broke off a response already partly sent (so the client connection must be
   * cut).
   */
  public boolean upstream() {
    return upstream;
  }
}
