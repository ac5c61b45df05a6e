package org.llmgateway.configcenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
  static final String STORED =
      """
      version: 1
      providers:
        alpha:
          base_url: "https://alpha.example"   # the real one
          headers: {X-Api-Key: "hk-123", X-Title: "my app"}
          keys:
            - {id: a1, value: "sk-alpha-one"}
            - id: a2
              value: sk-alpha-two
            - {id: a3, value_env: ALPHA_KEY}
      gateway_keys:
        - {key_id: team, key: 'sk-gw-team', tenant_id: t}
      """;

  @Test
  void masksInlineKeyValuesGatewayKeysAndSecretHeadersKeepingEverythingElse() {
    SecretMask.Masked m = SecretMask.mask(STORED);
    assertEquals(4, m.hidden());
    for (String secret : List.of("sk-alpha-one", "sk-alpha-two", "sk-gw-team", "hk-123")) {
      assertFalse(m.text().contains(secret), secret + " leaked: " + m.text());
    }
    assertTrue(m.text().contains("- {id: a1, value: \"***masked***\"}"), m.text());
    assertTrue(m.text().contains("      value: \"***masked***\"\n"), m.text());
    assertTrue(m.text().contains("X-Title: \"my app\""), m.text());
    assertTrue(m.text().contains("# the real one"), m.text());
    assertTrue(m.text().contains("value_env: ALPHA_KEY"), m.text());
  }

  @Test
  void anUntouchedMaskedTextUnmasksToTheStoredFileByteForByte() {
    SecretMask.Unmasked u =
        SecretMask.unmask(SecretMask.mask(STORED).text(), STORED, "providers.yaml");
    assertEquals(List.of(), u.problems());
    assertEquals(STORED, u.text());
  }

  @Test
  void aMaskFollowsItsKeyIdWhenKeysAreReorderedAndANewValueIsKept() {
    String edited =
        SecretMask.mask(STORED)
            .text()
            .replace("      - {id: a1, value: \"***masked***\"}\n", "")
            .replace(
                "      - {id: a3, value_env: ALPHA_KEY}\n",
                "      - {id: a3, value_env: ALPHA_KEY}\n      - {id: a1, value: \"***masked***\"}\n      - {id: a4, value: sk-new}\n");
    SecretMask.Unmasked u = SecretMask.unmask(edited, STORED, "providers.yaml");
    assertEquals(List.of(), u.problems());
    assertTrue(
        u.text().contains("- {id: a1, value: \"sk-alpha-one\"}\n      - {id: a4, value: sk-new}"),
        u.text());
    assertTrue(u.text().contains("value: sk-alpha-two"), u.text());
  }

  @Test
  void aMaskWithoutAStoredSecretIsAProblemWithItsYamlPath() {
    String edited = SecretMask.mask(STORED).text().replace("id: a2", "id: renamed");
    SecretMask.Unmasked u = SecretMask.unmask(edited, STORED, "providers.yaml");
    assertEquals(1, u.problems().size(), u.problems().toString());
    assertTrue(
        u.problems().getFirst().startsWith("providers.yaml: providers.alpha.keys[1].value: "),
        u.problems().toString());
  }

  @Test
  void aFileThatIsNotYamlIsStillMaskedLineByLine() {
    String broken =
        "providers:\n  a:\n    keys:\n      - {id: a1, value: sk-broken-1}\n      - id: a2\n        value: sk-broken-2\n   bad: [\n";
    SecretMask.Masked m = SecretMask.mask(broken);
    assertFalse(m.text().contains("sk-broken-1"), m.text());
    assertFalse(m.text().contains("sk-broken-2"), m.text());
  }

  @Test
  void nonAsciiTextBeforeASecretKeepsOffsetsRight() {
    String stored = "# 模型配置 😀\nproviders:\n  a:\n    keys:\n      - {id: k, value: \"sk-ü-1\"}\n";
    SecretMask.Masked m = SecretMask.mask(stored);
    assertEquals(
        "# 模型配置 😀\nproviders:\n  a:\n    keys:\n      - {id: k, value: \"***masked***\"}\n",
        m.text());
    assertEquals(stored, SecretMask.unmask(m.text(), stored, "p.yaml").text());
  }
}
