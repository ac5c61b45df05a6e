package org.llmgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directory mode, single-file mode, {@code include:} and how files merge. */
class MergeTest {
  private static final String MOCK =
      """
      providers:
        mock: {type: mock}
      """;

  @TempDir Path dir;

  @Test
  void directoryModeReadsYamlAndYmlFilesInNameOrderAndIgnoresExamples() {
    ConfigDir c =
        new ConfigDir(dir)
            .write("b.yml", "models:\n  m: {provider_map: {mock: from-b}}\n")
            .write("a.yaml", MOCK + "models:\n  m: {provider_map: {mock: from-a}}\n")
            .write("c.yaml.example", "this: [is not even valid")
            .write("notes.txt", "ignored")
            .write(".hidden.yaml", "also: ignored");
    GatewayConfig config = c.load();
    assertEquals(List.of(Path.of(c.file("a.yaml")), Path.of(c.file("b.yml"))), config.sources());
    assertEquals(
        "from-b", config.models().get("m").providerMap().get("mock"), "the later file wins");
  }

  @Test
  void aLaterFileReplacesAWholeProviderOrModelEntry() {
    GatewayConfig config =
        new ConfigDir(dir)
            .write(
                "10-base.yaml",
                """
        providers:
          mock: {type: mock}
          openai:
            base_url: https://api.openai.com
            weight: 7
            timeout_ms: 1000
            keys: [{id: k1, value: v1}]
        models:
          m:
            aliases: [old-alias]
            provider_map: {openai: gpt-4o, mock: echo}
            policy: {default_provider: openai}
        """)
            .write(
                "20-override.yaml",
                """
        providers:
          openai:
            base_url: https://proxy.example
            keys: [{id: k2, value: v2}]
        models:
          m:
            provider_map: {mock: echo}
        """)
            .load();
    Provider openai = config.providers().get("openai");
    assertEquals(1, openai.weight(), "weight is not inherited from the replaced entry");
    assertEquals(Duration.ofMillis(60_000), openai.timeout());
    assertEquals(List.of("k2"), openai.keys().stream().map(ProviderKey::id).toList());
    Model m = config.models().get("m");
    assertEquals(List.of(), m.aliases());
    assertEquals(List.of(), m.defaultProviders());
    assertEquals(Map.of("mock", "echo"), m.providerMap());
  }

  @Test
  void gatewayKeysOfAllFilesAreConcatenated() {
    GatewayConfig config =
        new ConfigDir(dir)
            .write(
                "a.yaml",
                MOCK
                    + """
        models: {m: {provider_map: {mock: echo}}}
        gateway_keys:
          - {key_id: a1, key: sk-a1}
        """)
            .write(
                "b.yaml",
                """
        gateway_keys:
          - {key_id: b1, key: sk-b1}
          - {key_id: b2, key: sk-b2, allowed_models: [m]}
        """)
            .load();
    assertEquals(
        List.of("a1", "b1", "b2"), config.gatewayKeys().stream().map(GatewayKey::keyId).toList());
    assertEquals(Optional.of(Set.of("m")), config.gatewayKeys().get(2).allowedModels());
  }

  @Test
  void aDuplicateGatewayKeyIdAcrossFilesIsAnError() {
    ConfigDir c =
        new ConfigDir(dir)
            .write("a.yaml", MOCK + "gateway_keys: [{key_id: u, key: sk-1}]\n")
            .write("b.yaml", "gateway_keys: [{key_id: u, key: sk-2}]\n");
    assertEquals(
        List.of(c.file("b.yaml") + ": gateway_keys[0].key_id: duplicate gateway key id \"u\""),
        c.errors());
  }

  @Test
  void includesAreRelativeToTheIncludingFileAndReadOnceEvenInACycle() {
    ConfigDir c =
        new ConfigDir(dir)
            .write("main.yaml", "include: [parts/providers.yaml, parts/models.yaml]\n")
            .write("parts/providers.yaml", MOCK + "include: [models.yaml, ../main.yaml]\n")
            .write(
                "parts/models.yaml",
                "include: [providers.yaml]\nmodels: {m: {provider_map: {mock: echo}}}\n");
    GatewayConfig config = c.load();
    assertEquals(
        List.of(c.file("main.yaml"), c.file("parts/providers.yaml"), c.file("parts/models.yaml")),
        config.sources().stream().map(Path::toString).toList());
    assertEquals("echo", config.models().get("m").providerMap().get("mock"));
  }

  @Test
  void aMissingIncludeIsReportedWithTheIncludingFile() {
    ConfigDir c = new ConfigDir(dir).write("main.yaml", MOCK + "include: [nope.yaml]\n");
    assertEquals(
        List.of(c.file("main.yaml") + ": include: included file not found: " + c.file("nope.yaml")),
        c.errors());
  }

  @Test
  void singleFileModeReadsOnlyThatFileAndWhatItIncludes() {
    ConfigDir c =
        new ConfigDir(dir)
            .write("gateway.yaml", "include: [more/models.yaml]\n" + MOCK)
            .write("more/models.yaml", "models: {m: {provider_map: {mock: echo}}}\n")
            .write("other.yaml", "this file is not read: [");
    GatewayConfig config =
        new ConfigLoader(Map.<String, String>of()::get).loadFile(dir.resolve("gateway.yaml"));
    assertEquals(2, config.sources().size());
    assertEquals(Set.of("m"), config.models().keySet());
  }

  @Test
  void anEmptyDirectoryIsAnError() {
    assertEquals(
        List.of(dir + ": no *.yaml or *.yml files in the config directory"),
        new ConfigDir(dir).errors());
  }

  @Test
  void theHashChangesWithTheContent() {
    ConfigDir c =
        new ConfigDir(dir).write("a.yaml", MOCK + "models: {m: {provider_map: {mock: one}}}\n");
    String first = c.load().hash();
    assertEquals(first, c.load().hash());
    c.write("a.yaml", MOCK + "models: {m: {provider_map: {mock: two}}}\n");
    assertNotEquals(first, c.load().hash());
    assertFalse(first.isEmpty());
  }
}
