package org.llmgateway.config;

import java.util.ArrayList;
import java.util.List;

/** Collects configuration problems so that one load reports all of them. */
final class Problems {
  private final List<String> lines = new ArrayList<>();

  void add(String file, String path, String message) {
    lines.add((file.isEmpty() ? "" : file + ": ") + (path.isEmpty() ? "" : path + ": ") + message);
  }

  boolean isEmpty() {
    return lines.isEmpty();
  }

  int size() {
    return lines.size();
  }

  void throwIfAny() {
    if (!lines.isEmpty()) {
      throw new ConfigException(lines);
    }
  }
}
