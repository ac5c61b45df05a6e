package org.llmgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation rule: its exact message and YAML path, prefixed by the file, all reported in one
 * exception.
 */
class ValidationTest {
  private static final String PROVIDERS =
      """
      version: 1
      providers:
        openai:
          base_url: "https://api.openai.com"
          keys: [{id: k1, value: sk-openai-secret}]
        mock:
          type: mock
      """;

  @TempDir Path dir;

  /** A valid providers.yaml plus {@code models.yaml} with the given models section. */
  private List<String> modelErrors(String modelsYaml) {
    ConfigDir c =
        new ConfigDir(dir).write("a-providers.yaml", PROVIDERS).write("b-models.yaml", modelsYaml);
    return c.errors().stream()
        .map(line -> line.replace(c.file("b-models.yaml") + ": ", ""))
        .toList();
  }

  /** {@code providers.yaml} with the given text and a models.yaml using provider "openai". */
  private List<String> providerErrors(String providersYaml, Map<String, String> env) {
    ConfigDir c =
        new ConfigDir(dir, env)
            .write("a-providers.yaml", providersYaml)
            .write(
                "b-models.yaml",
                """
        models:
          m:
            provider_map: {openai: gpt-4o}
        """);
    return c.errors().stream()
        .map(line -> line.replace(c.file("a-providers.yaml") + ": ", ""))
        .toList();
  }

  static Stream<Arguments> modelRules() {
    return Stream.of(
        Arguments.of(
            "provider_map names an undefined provider",
            """
            models:
              m:
                provider_map: {opnai: gpt-4o}
            """,
            "models.m.provider_map.opnai: names undefined provider \"opnai\" (did you mean \"openai\"?)"),
        Arguments.of(
            "allow_providers names an undefined provider",
            """
            models:
              m:
                provider_map: {openai: gpt-4o}
                policy: {allow_providers: [openai, nowhere]}
            """,
            "models.m.policy.allow_providers[1]: names undefined provider \"nowhere\""),
        Arguments.of(
            "default_provider names an undefined provider",
            """
            models:
              m:
                provider_map: {openai: gpt-4o}
                policy: {default_provider: ghost}
            """,
            "models.m.policy.default_provider: names undefined provider \"ghost\""),
        Arguments.of(
            "default_providers names an undefined provider",
            """
            models:
              m:
                provider_map: {openai: gpt-4o}
                policy: {default_providers: [openai, ghost]}
            """,
            "models.m.policy.default_providers[1]: names undefined provider \"ghost\""),
        Arguments.of(
            "an alias is used by two models",
            """
            models:
              a:
                aliases: [shared, a-only]
                provider_map: {openai: gpt-4o}
              b:
                aliases: [shared]
                provider_map: {mock: echo}
            """,
            "models.b.aliases: alias \"shared\" is already used by model \"a\""),
        Arguments.of(
            "an alias is another model's name",
            """
            models:
              a:
                provider_map: {openai: gpt-4o}
              b:
                aliases: [a]
                provider_map: {mock: echo}
            """,
            "models.b.aliases: alias \"a\" is already used by model \"a\""),
        Arguments.of(
            "an unknown model key",
            """
            models:
              m:
                provider_map: {openai: gpt-4o}
                alias: [x]
            """,
            "models.m.alias: unknown key (did you mean \"aliases\"?); allowed: aliases, description, policy, "
                + "provider_map"),
        Arguments.of(
            "an unknown policy key",
            """
            models:
              m:
                provider_map: {openai: gpt-4o}
                policy: {default_provder: openai}
            """,
            "models.m.policy.default_provder: unknown key (did you mean \"default_provider\"?); allowed: "
                + "allow_providers, default_provider, default_providers"),
        Arguments.of(
            "version 2",
            """
            version: 2
            models:
              m:
                provider_map: {openai: gpt-4o}
            """,
            "version: must be 1, got integer 2"),
        Arguments.of(
            "version as text",
            """
            version: "one"
            models:
              m:
                provider_map: {openai: gpt-4o}
            """,
            "version: must be 1, got \"one\""),
        Arguments.of(
            "an unknown top-level key",
            """
            modles:
              m:
                provider_map: {openai: gpt-4o}
            """,
            "modles: unknown key (did you mean \"models\"?); allowed: gateway_keys, include, models, providers, "
                + "version"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modelRules")
  void modelRuleIsReportedWithItsPath(String rule, String modelsYaml, String expected) {
    assertEquals(List.of(expected), modelErrors(modelsYaml));
  }

  static Stream<Arguments> providerRules() {
    String head = "providers:\n  openai:\n    keys: [{id: k1, value: sk-openai-secret}]\n";
    return Stream.of(
        Arguments.of(
            "a base_url that is not http(s)",
            head + "    base_url: \"ftp://x\"\n",
            "providers.openai.base_url: must be an http(s) URL, got \"ftp://x\""),
        Arguments.of(
            "a base_url without a host",
            head + "    base_url: \"https://\"\n",
            "providers.openai.base_url: must be an http(s) URL, got \"https://\""),
        Arguments.of(
            "a negative weight",
            head + "    base_url: http://h\n    weight: -1\n",
            "providers.openai.weight: must be at least 0, got -1"),
        Arguments.of(
            "a non-numeric weight",
            head + "    base_url: http://h\n    weight: heavy\n",
            "providers.openai.weight: must be a whole number, got \"heavy\""),
        Arguments.of(
            "a fractional weight",
            head + "    base_url: http://h\n    weight: 1.5\n",
            "providers.openai.weight: must be a whole number, got double 1.5"),
        Arguments.of(
            "a negative timeout",
            head + "    base_url: http://h\n    timeout_ms: -5\n",
            "providers.openai.timeout_ms: must be at least 1, got -5"),
        Arguments.of(
            "a non-numeric timeout",
            head + "    base_url: http://h\n    timeout_ms: 60s\n",
            "providers.openai.timeout_ms: must be a whole number, got \"60s\""),
        Arguments.of(
            "an unknown provider key",
            head + "    base_url: http://h\n    weigth: 3\n",
            "providers.openai.weigth: unknown key (did you mean \"weight\"?); allowed: auth, base_url, ca_file, "
                + "description, endpoints, headers, http_version, keys, max_connections, mock, proxy, request_defaults, "
                + "ssl_verify, timeout_ms, type, weight"),
        Arguments.of(
            "duplicate key ids in one provider",
            """
            providers:
              openai:
                base_url: http://h
                keys:
                  - {id: k1, value: a}
                  - {id: k2, value: b}
                  - {id: k1, value: c}
            """,
            "providers.openai.keys[2].id: duplicate key id \"k1\" in this provider"),
        Arguments.of(
            "a key with neither value nor value_env",
            """
            providers:
              openai:
                base_url: http://h
                keys: [{id: k1}]
            """,
            "providers.openai.keys[0].value: a key needs value or value_env"),
        Arguments.of(
            "value_env naming an unset variable",
            """
            providers:
              openai:
                base_url: http://h
                keys: [{id: k1, value_env: OPENAI_KEY_2}]
            """,
            "providers.openai.keys[0].value_env: environment variable OPENAI_KEY_2 is not set"),
        Arguments.of(
            "value_env naming a blank variable",
            """
            providers:
              openai:
                base_url: http://h
                keys: [{id: k1, value_env: BLANK_KEY}]
            """,
            "providers.openai.keys[0].value_env: environment variable BLANK_KEY is not set"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providerRules")
  void providerRuleIsReportedWithItsPath(String rule, String providersYaml, String expected) {
    assertEquals(List.of(expected), providerErrors(providersYaml, Map.of("BLANK_KEY", "  ")));
  }

  @Test
  void errorLinesStartWithTheFileName() {
    ConfigDir c =
        new ConfigDir(dir)
            .write(
                "p.yaml",
                """
        providers:
          openai:
            base_url: "ftp://x"
            keys: [{id: k1, value: v}]
        """);
    assertEquals(
        List.of(
            c.file("p.yaml")
                + ": providers.openai.base_url: must be an http(s) URL, got \"ftp://x\""),
        c.errors());
  }

  @Test
  void valueEnvIsResolvedFromTheInjectedEnvironmentAndNeverPrinted() {
    String secret = "sk-from-env-0123456789";
    ConfigDir c =
        new ConfigDir(dir, Map.of("OPENAI_KEY_1", secret))
            .write(
                "p.yaml",
                """
        providers:
          openai:
            base_url: http://h
            keys:
              - {id: k1, value_env: OPENAI_KEY_1}
              - {id: k2, value_env: OPENAI_KEY_2}
        """);
    List<String> errors = c.errors();
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(errors.getFirst().contains("OPENAI_KEY_2"));
    assertFalse(String.join("\n", errors).contains(secret));

    c.write(
        "p.yaml",
        """
        providers:
          openai:
            base_url: http://h
            keys: [{id: k1, value_env: OPENAI_KEY_1}]
        models:
          m: {provider_map: {openai: gpt-4o}}
        """);
    assertEquals(secret, c.load().providers().get("openai").keys().getFirst().value().reveal());
  }

  @Test
  void everyErrorOfEveryFileIsReportedInOneException() {
    ConfigDir c =
        new ConfigDir(dir)
            .write(
                "a.yaml",
                """
        version: 2
        providers:
          openai:
            base_url: "ftp://x"
            weight: -3
            keys:
              - {id: k1, value: a}
              - {id: k1, value_env: MISSING_VAR}
        """)
            .write(
                "b.yaml",
                """
        models:
          m:
            aliases: [dup]
            provider_map: {openai: gpt-4o, ghost: x}
            policy: {allow_providers: [openai, nowhere], default_provider: phantom}
          n:
            aliases: [dup]
            provider_map: {openai: gpt-4o}
            polcy: {}
        """);
    String a = c.file("a.yaml") + ": ";
    String b = c.file("b.yaml") + ": ";
    List<String> expected =
        List.of(
            a + "version: must be 1, got integer 2",
            a + "providers.openai.base_url: must be an http(s) URL, got \"ftp://x\"",
            a + "providers.openai.keys[1].id: duplicate key id \"k1\" in this provider",
            a + "providers.openai.keys[1].value_env: environment variable MISSING_VAR is not set",
            a + "providers.openai.weight: must be at least 0, got -3",
            b + "models.m.provider_map.ghost: names undefined provider \"ghost\"",
            b + "models.m.policy.allow_providers[1]: names undefined provider \"nowhere\"",
            b + "models.m.policy.default_provider: names undefined provider \"phantom\"",
            b + "models.m.policy.default_provider: \"phantom\" is not in allow_providers",
            b
                + "models.n.polcy: unknown key (did you mean \"policy\"?); allowed: aliases, description, policy, provider_map",
            b + "models.n.aliases: alias \"dup\" is already used by model \"m\"");
    assertEquals(expected.stream().sorted().toList(), c.errors().stream().sorted().toList());
  }

  @Test
  void textsThatYaml11WouldTurnIntoNumbersOrBooleansStayStrings() {
    GatewayConfig config =
        new ConfigDir(dir)
            .write(
                "c.yaml",
                """
        providers:
          ollama: {base_url: "http://127.0.0.1:11434", auth: {mode: none}}
        models:
          qwen:
            aliases:
              - qwen2:7b
              - 1:30
              - no
              - on
              - yes
              - 0x1f
              - 2024-01-01
            provider_map:
              ollama: qwen2:7b
        """)
            .load();
    Model qwen = config.models().get("qwen");
    assertEquals(
        List.of("qwen2:7b", "1:30", "no", "on", "yes", "0x1f", "2024-01-01"), qwen.aliases());
    assertEquals("qwen2:7b", qwen.providerMap().get("ollama"));
  }

  @Test
  void invalidYamlIsReportedWithLineAndColumn() {
    ConfigDir c =
        new ConfigDir(dir)
            .write(
                "broken.yaml",
                """
        providers:
          openai:
            base_url: [unclosed
        models: {}
        """);
    List<String> errors = c.errors();
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(
        errors.getFirst().startsWith(c.file("broken.yaml") + ": invalid YAML at line "),
        errors::toString);
    assertTrue(errors.getFirst().matches(".*at line 4, column \\d+.*"), errors::toString);
  }

  @Test
  void aDuplicateYamlKeyIsRejectedWithItsLine() {
    ConfigDir c =
        new ConfigDir(dir)
            .write(
                "dup.yaml",
                """
        providers:
          openai:
            base_url: http://a
            keys: [{id: k1, value: v}]
            base_url: http://b
        """);
    List<String> errors = c.errors();
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(
        errors.getFirst().startsWith(c.file("dup.yaml") + ": invalid YAML at line 5, column"),
        errors::toString);
    assertTrue(errors.getFirst().contains("duplicate key base_url"), errors::toString);
  }
}
