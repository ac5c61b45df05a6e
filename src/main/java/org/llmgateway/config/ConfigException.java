package org.llmgateway.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found (each line names its file and YAML
 * path).
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<String> errors;

  public ConfigException(List<String> errors) {
    super(errors.size() + " configuration error(s):\n  " + String.join("\n  ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
