package org.llmgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The test JVM's log files ({@code gateway.log.dir}, set by the build to target/test-logs), rotated
 * ones ({@code .gz}) included.
 */
public final class LogFiles {
  public static final Path DIR = Path.of(System.getProperty("gateway.log.dir", "logs"));

  private LogFiles() {}

  /** A log file's text, decompressed when rotated; empty when it does not exist. */
  public static String read(Path f) {
    try {
      if (!Files.exists(f)) {
        return "";
      }
      try (InputStream in =
          f.toString().endsWith(".gz")
              ? new GZIPInputStream(Files.newInputStream(f))
              : Files.newInputStream(f)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every log file below {@link #DIR}. */
  public static List<Path> all() {
    try (Stream<Path> files = Files.walk(DIR)) {
      return files.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether any log file holds {@code text}. */
  public static boolean anyContains(String text) {
    return all().stream().anyMatch(f -> read(f).contains(text));
  }
}
