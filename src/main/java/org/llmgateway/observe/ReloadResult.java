package org.llmgateway.observe;

/** How a configuration load ended; {@link #label()} is the metric label value. */
public enum ReloadResult {
  /** A new configuration went live. */
  OK("ok"),
  /** The configuration was broken; the last good one keeps serving. */
  FAILED("failed"),
  /** The files did not change; nothing was swapped. */
  UNCHANGED("unchanged");

  private final String label;

  ReloadResult(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
