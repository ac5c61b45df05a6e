package org.llmgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --check-config}: exit 0 with a redacted summary, or exit 1 with every error. */
class CheckConfigTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int check(Path target) {
    return Main.CheckConfig.run(
        target,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aGoodConfigExitsZeroWithARedactedSummary() throws Exception {
    Path seeds =
        Path.of(CheckConfigTest.class.getResource("/seed-configs/gateway_keys.yaml").toURI())
            .getParent();
    try (Stream<Path> files = Files.list(seeds)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName().toString().replace(".example", "")));
      }
    }
    assertEquals(0, check(dir));
    assertEquals("", err());
    String summary = out();
    assertTrue(summary.startsWith("configuration OK: " + dir), summary);
    for (String expected :
        List.of(
            "providers: 4",
            "models: 3",
            "gateway keys: 2",
            "chatgpt3.5",
            "gpt-3.5-turbo",
            "gemini-3-flash-preview",
            "primary-provider",
            "openrouter",
            "openai-key-1",
            "or-key-1",
            "user-1",
            "user-2")) {
      assertTrue(summary.contains(expected), () -> "summary lacks " + expected + ":\n" + summary);
    }
    for (String secret :
        List.of(
            "sk-your-api-key-here",
            "sk-or-v1-your-key-here",
            "your-gemini-api-key",
            "sk-gateway-demo-key-1",
            "sk-gateway-demo-key-2")) {
      assertFalse(summary.contains(secret), () -> "summary leaks " + secret);
    }
  }

  @Test
  void aBadConfigExitsOneWithEveryError() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
        version: 3
        providers:
          openai:
            base_url: "ftp://x"
            keys: [{id: k1, value: sk-must-not-print}]
        models:
          m:
            provider_map: {ghost: x}
        """);
    assertEquals(1, check(dir));
    assertEquals("", out());
    String f = file.toAbsolutePath().toString();
    assertEquals(
        List.of(
            "configuration INVALID: " + dir,
            "  " + f + ": version: must be 1, got integer 3",
            "  " + f + ": providers.openai.base_url: must be an http(s) URL, got \"ftp://x\"",
            "  " + f + ": models.m.provider_map.ghost: names undefined provider \"ghost\""),
        err().lines().toList());
  }

  @Test
  void aSingleFileCanBeChecked() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("one.yaml"),
            "providers: {mock: {type: mock}}\n" + "models: {demo: {provider_map: {mock: echo}}}\n");
    assertEquals(0, check(file));
    assertTrue(out().contains("models: 1"), out());
  }

  @Test
  void aMissingPathExitsOne() {
    assertEquals(1, check(dir.resolve("absent")));
    assertTrue(err().contains(dir.resolve("absent") + ": cannot read file"), err());
  }
}
