package org.llmgateway.routing;

/** What the relay does after an attempt. */
public enum Decision {
  /** The upstream answered usefully: relay its answer. */
  SUCCESS,
  /** The key is bad or exhausted: cool it down and try the next key of the same provider. */
  NEXT_KEY,
  /** The provider failed (network, timeout, 5xx): try the next provider. */
  NEXT_PROVIDER,
  /**
   * The request itself is wrong (validation 4xx): relay the upstream's answer at once, no retry.
   */
  RELAY
}
