package org.llmgateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.llmgateway.config.ConfigLoader;
import org.llmgateway.config.GatewayConfig;
import org.llmgateway.routing.Snapshot;

/** Loads YAML fixtures through the real {@link ConfigLoader}. */
public final class Configs {
  private Configs() {}

  public static GatewayConfig load(String yaml) {
    return load(Map.of("gateway.yaml", yaml), Map.of());
  }

  public static GatewayConfig load(Map<String, String> files, Map<String, String> env) {
    Path dir;
    try {
      dir = Files.createTempDirectory("cfg");
      for (var f : files.entrySet()) {
        Files.writeString(dir.resolve(f.getKey()), f.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return new ConfigLoader(env::get).loadDirectory(dir);
    } finally {
      TempDirs.delete(dir);
    }
  }

  public static Snapshot snapshot(String yaml) {
    return new Snapshot(load(yaml), Instant.parse("2026-01-01T00:00:00Z"));
  }
}
