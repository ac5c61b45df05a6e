package org.llmgateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
  @TempDir Path dir;

  @Test
  void theFingerprintChangesWithAFilesContentAndNamesNoProblemWhenAllIsReadable()
      throws IOException {
    Files.writeString(dir.resolve("a.yaml"), "version: 1\n");
    ConfigWatcher.Fingerprint first = ConfigWatcher.fingerprint(dir, Optional.empty(), List.of());
    assertEquals(Optional.empty(), first.problem());
    assertEquals(
        first,
        ConfigWatcher.fingerprint(dir, Optional.empty(), List.of()),
        "stable while nothing changes");
    Files.writeString(dir.resolve("a.yaml"), "version: 1\nproviders: {}\n");
    assertNotEquals(first, ConfigWatcher.fingerprint(dir, Optional.empty(), List.of()));
  }

  @Test
  void aMissingDirectoryIsAProblemWithItsPathNotASilentHash() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), "version: 1\n");
    ConfigWatcher.Fingerprint before = ConfigWatcher.fingerprint(dir, Optional.empty(), List.of());
    Path gone = dir.resolve("conf.d");
    ConfigWatcher.Fingerprint missing =
        ConfigWatcher.fingerprint(gone, Optional.empty(), List.of());
    assertTrue(
        missing.problem().orElseThrow().contains(gone.toAbsolutePath() + " (missing)"),
        missing.toString());
    assertNotEquals(before, missing);
  }

  @Test
  void anIncludedFileThatDisappearedIsNamed() throws IOException {
    Path included = dir.resolve("shared.yaml");
    ConfigWatcher.Fingerprint f =
        ConfigWatcher.fingerprint(dir, Optional.empty(), List.of(included));
    assertEquals(Optional.of(included.toAbsolutePath() + " (missing)"), f.problem());
  }
}
