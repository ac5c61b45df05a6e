package org.llmgateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads our own {@code log4j2.xml} into a separate {@link LoggerContext} with a 20 KB size trigger
 * and a temporary directory, so the gateway's context (one per JVM) is left alone.
 */
class LogRotationTest {
  private static final int LINES = 3000;

  @Test
  void theSizeTriggerRollsGzippedFilesWithoutLosingALine(@TempDir Path dir) throws Exception {
    URI config = Path.of("src/main/resources/log4j2.xml").toUri();
    LoggerContext ctx;
    String oldDir = System.getProperty("gateway.log.dir");
    String oldSize = System.getProperty("gateway.log.roll.size");
    LogManager.getContext(false); // the gateway's context is configured before we change
    System.setProperty("gateway.log.dir", dir.toString());
    System.setProperty("gateway.log.roll.size", "20 KB");
    try {
      ctx = new LoggerContext("rotation-test", null, config);
      ctx.start();
    } finally {
      restore("gateway.log.dir", oldDir);
      restore("gateway.log.roll.size", oldSize);
    }
    try {
      Logger access = ctx.getLogger("access");
      String padding = "x".repeat(80);
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        writers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int i = offset; i < LINES; i += 4) {
                        access.info("line {} {}", i, padding);
                      }
                    }));
      }
      for (Thread w : writers) {
        w.join();
      }
    } finally {
      assertTrue(ctx.stop(10, TimeUnit.SECONDS), "the context stops, finishing the gzip actions");
    }

    BitSet seen = new BitSet(LINES);
    int total = 0;
    int rolls = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (!name.startsWith("access")) {
          continue;
        }
        if (name.endsWith(".log.gz")) {
          assertTrue(name.matches("access-\\d{4}-\\d{2}-\\d{2}-\\d+\\.log\\.gz"), name);
          rolls++;
        }
        for (String line : read(f).split("\n")) {
          if (line.startsWith("line ")) {
            seen.set(Integer.parseInt(line.split(" ")[1]));
            total++;
          }
        }
      }
    }
    assertTrue(rolls >= 5, "300 KB at a 20 KB trigger rolls many times, got " + rolls);
    assertEquals(LINES, total, "every line once");
    assertEquals(LINES, seen.cardinality(), "no line lost");
  }

  private static String read(Path f) throws IOException {
    try (InputStream in =
        f.toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(f))
            : Files.newInputStream(f)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }
}
