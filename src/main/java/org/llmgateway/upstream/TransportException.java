package org.llmgateway.upstream;

import java.io.IOException;

/**
 * A network-level failure the transport has already named: a TLS problem, a connection bound
 * reached, a protocol the provider would not speak. {@link #reason()} is short and safe to show
 * (never a key, header or certificate body).
 */
public final class TransportException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final boolean local;

  TransportException(String reason, boolean local, Throwable cause) {
    super(reason, cause);
    this.reason = reason;
    this.local = local;
  }

  /** What went wrong, for the attempt log and the client's 502 message. */
  public String reason() {
    return reason;
  }

  /**
   * Whether the gateway's own limits caused it (e.g. {@code max_connections} in use), not the
   * provider: such a failure must not count against the provider's circuit or cool its key.
   */
  public boolean local() {
    return local;
  }
}
