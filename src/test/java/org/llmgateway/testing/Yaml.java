package org.llmgateway.testing;

/**
 * Small YAML fixtures shared by the operations tests: providers pointing at a {@link FakeUpstream},
 * models.
 */
public final class Yaml {
  private Yaml() {}

  /**
   * One openai_compat provider named {@code name} at {@code baseUrl} with keys {@code id=value}
   * pairs.
   */
  public static String provider(String name, String baseUrl, String... idValuePairs) {
    StringBuilder sb =
        new StringBuilder()
            .append("  ")
            .append(name)
            .append(":\n")
            .append("    type: openai_compat\n")
            .append("    base_url: \"")
            .append(baseUrl)
            .append("\"\n")
            .append("    timeout_ms: 5000\n")
            .append("    keys:\n");
    for (int i = 0; i + 1 < idValuePairs.length; i += 2) {
      sb.append("      - id: \"")
          .append(idValuePairs[i])
          .append("\"\n")
          .append("        value: \"")
          .append(idValuePairs[i + 1])
          .append("\"\n");
    }
    return sb.toString();
  }

  public static String providers(String... entries) {
    return "version: 1\nproviders:\n" + String.join("", entries);
  }

  /** A model served by the given providers in strict order (first is the default). */
  public static String model(String name, String... providers) {
    StringBuilder sb =
        new StringBuilder().append("  ").append(name).append(":\n    provider_map:\n");
    for (String p : providers) {
      sb.append("      ").append(p).append(": \"").append(name).append("-upstream\"\n");
    }
    sb.append("    policy:\n      default_providers: [");
    sb.append(String.join(", ", providers)).append("]\n");
    return sb.toString();
  }

  public static String models(String... entries) {
    return "version: 1\nmodels:\n" + String.join("", entries);
  }

  public static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  public static String chatStream(String model) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }
}
