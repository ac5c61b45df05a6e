package org.llmgateway.limit;

/** The two limits a gateway key may have; {@link #label()} names them in headers and metrics. */
public enum LimitKind {
  REQUESTS("requests"),
  TOKENS("tokens");

  private final String label;

  LimitKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
