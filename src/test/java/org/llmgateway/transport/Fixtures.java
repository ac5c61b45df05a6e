package org.llmgateway.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.llmgateway.testing.Yaml;

/** YAML of providers with transport settings, and temporary files for CA bundles. */
final class Fixtures {
  static final String KEY = "sk-transport-secret-0123456789";

  private Fixtures() {}

  /**
   * A provider at {@code baseUrl} with one key and {@code extra} YAML lines (indented 4) for its
   * transport.
   */
  static String provider(String name, String baseUrl, String... extra) {
    StringBuilder sb =
        new StringBuilder(
            "  "
                + name
                + ":\n    base_url: \""
                + baseUrl
                + "\"\n    timeout_ms: 5000\n"
                + "    keys: [{id: "
                + name
                + "-key, value: \""
                + KEY
                + "\"}]\n");
    for (String line : extra) {
      sb.append("    ").append(line).append('\n');
    }
    return sb.toString();
  }

  static String config(String[] providers, String... modelProviders) {
    return Yaml.providers(providers)
        + "models:\n"
        + Yaml.model("m", modelProviders).replace("version: 1\n", "");
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("gw-transport");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
