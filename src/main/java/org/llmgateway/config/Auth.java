package org.llmgateway.config;

/**
 * How a provider expects its key: {@code mode} {@code bearer} or {@code header} sends {@code
 * <header>: <prefix><key>}; {@code none} sends nothing.
 */
public record Auth(String mode, String header, String prefix) {
  public static final Auth DEFAULT = new Auth("bearer", "Authorization", "Bearer ");

  public boolean sendsKey() {
    return !"none".equals(mode);
  }
}
