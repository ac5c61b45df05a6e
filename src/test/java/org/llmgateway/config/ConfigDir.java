package org.llmgateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A temporary config directory for loader tests: write YAML files, load them with an injected
 * environment.
 */
record ConfigDir(Path dir, Map<String, String> env) {
  ConfigDir(Path dir) {
    this(dir, Map.of());
  }

  ConfigDir write(String name, String yaml) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, yaml);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How error lines name {@code name}: its absolute path. */
  String file(String name) {
    return dir.resolve(name).toAbsolutePath().normalize().toString();
  }

  GatewayConfig load() {
    return new ConfigLoader(env::get).loadDirectory(dir);
  }

  /** The errors of a load that must fail. */
  List<String> errors() {
    try {
      GatewayConfig config = load();
      throw new AssertionError(
          "expected a ConfigException, but the configuration loaded: " + config);
    } catch (ConfigException e) {
      return e.errors();
    }
  }
}
