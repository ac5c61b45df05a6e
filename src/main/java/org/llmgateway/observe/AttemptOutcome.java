package org.llmgateway.observe;

/** How one upstream attempt ended; {@link #label()} is what logs and metrics show. */
public enum AttemptOutcome {
  /** The upstream answered usefully and its answer went to the client. */
  OK("ok"),
  /**
   * A key-level failure (401/402/403/429, quota bodies): the key cools down, the next key is tried.
   */
  NEXT_KEY("next_key"),
  /** A provider-level HTTP failure (5xx, 408, 409, 425): the next provider is tried. */
  NEXT_PROVIDER("next_provider"),
  /** A request-level 4xx relayed to the client unchanged. */
  RELAYED("relayed"),
  /**
   * No usable HTTP answer: refused, reset, TLS, timeout, or a body or stream that broke before the
   * commit.
   */
  NETWORK_ERROR("network_error");

  private final String label;

  AttemptOutcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
