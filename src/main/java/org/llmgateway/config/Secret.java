package org.llmgateway.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A secret value (provider key, gateway key, admin token). Its {@link #toString()} never shows the
 * value, so a secret can sit in records, exceptions and log arguments without leaking.
 */
public final class Secret {
  private final String value;
  private final byte[] bytes;

  public Secret(String value) {
    this.value = value;
    this.bytes = value.getBytes(StandardCharsets.UTF_8);
  }

  /** The clear value, for the one place that needs it (an upstream auth header, a comparison). */
  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  /** Constant-time comparison with a candidate from a client. */
  public boolean matches(String candidate) {
    return MessageDigest.isEqual(bytes, candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "***";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && MessageDigest.isEqual(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
