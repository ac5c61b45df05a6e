package org.llmgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The optional {@code rpm} and {@code tpm} of gateway keys. */
class GatewayKeyLimitsTest {
  private static final String MODELS =
      """
      version: 1
      providers:
        mock: {type: mock}
      models:
        m: {provider_map: {mock: m}}
      """;

  @TempDir Path dir;

  private ConfigDir keys(String entry) {
    return new ConfigDir(dir)
        .write("a-models.yaml", MODELS)
        .write("b-keys.yaml", "gateway_keys:\n  - {key_id: k, key: sk-gw-1" + entry + "}\n");
  }

  @Test
  void keysWithoutLimitsLoadAsBeforeAndAreUnlimited() {
    GatewayKey k = keys("").load().gatewayKeys().get(0);
    assertEquals(OptionalLong.empty(), k.rpm());
    assertEquals(OptionalLong.empty(), k.tpm());
    assertFalse(k.limited());
  }

  @Test
  void rpmAndTpmAreReadAsWholeNumbersAlsoFromDigitStrings() {
    GatewayKey k = keys(", rpm: 10, tpm: \"40000\"").load().gatewayKeys().get(0);
    assertEquals(OptionalLong.of(10), k.rpm());
    assertEquals(OptionalLong.of(40_000), k.tpm());
    assertTrue(k.limited());
  }

  static Stream<Arguments> badLimits() {
    return Stream.of(
        Arguments.of(", rpm: 0", "gateway_keys[0].rpm: must be at least 1, got 0"),
        Arguments.of(", tpm: -5", "gateway_keys[0].tpm: must be at least 1, got -5"),
        Arguments.of(", rpm: 1.5", "gateway_keys[0].rpm: must be a whole number, got double 1.5"),
        Arguments.of(", tpm: lots", "gateway_keys[0].tpm: must be a whole number, got \"lots\""),
        Arguments.of(
            ", rpm: 1000000001", "gateway_keys[0].rpm: must be at most 1000000000, got 1000000001"),
        Arguments.of(
            ", rmp: 10",
            "gateway_keys[0].rmp: unknown key (did you mean \"rpm\"?); allowed: allowed_models,"
                + " description, enabled, key, key_id, rpm, tenant_id, tpm"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badLimits")
  void aBadLimitIsReportedWithItsYamlPath(String entry, String expected) {
    ConfigDir c = keys(entry);
    List<String> errors =
        c.errors().stream().map(line -> line.replace(c.file("b-keys.yaml") + ": ", "")).toList();
    assertEquals(List.of(expected), errors);
  }
}
