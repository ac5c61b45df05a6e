package org.llmgateway.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Gemini's call id and thought signature survive the client's round trip through the tool call id.
 */
class GeminiCallIdsTest {
  @Test
  void anIdWithoutSignaturePassesUnchanged() {
    assertEquals("fc-1", GeminiCallIds.encode("fc-1", "", "n0"));
    assertEquals(
        new GeminiCallIds.Restored(Optional.of("fc-1"), Optional.empty()),
        GeminiCallIds.decode("fc-1"));
  }

  @Test
  void idAndSignatureComeBackFromTheGatewayId() {
    String id = GeminiCallIds.encode("fc-1", "EqQBCgIYAhIM+/sig==", "n0");
    assertTrue(id.matches("call_gw_[A-Za-z0-9_-]+"), id);
    assertEquals(
        new GeminiCallIds.Restored(Optional.of("fc-1"), Optional.of("EqQBCgIYAhIM+/sig==")),
        GeminiCallIds.decode(id));
  }

  @Test
  void callsWithoutIdOrSignatureStillGetDistinctIds() {
    String a = GeminiCallIds.encode("", "", "n0");
    String b = GeminiCallIds.encode("", "", "n1");
    assertNotEquals(a, b);
    assertEquals(
        new GeminiCallIds.Restored(Optional.empty(), Optional.empty()), GeminiCallIds.decode(a));
  }

  @Test
  void anIdThatOnlyLooksLikeOursIsLeftOut() {
    assertEquals(
        new GeminiCallIds.Restored(Optional.empty(), Optional.empty()),
        GeminiCallIds.decode("call_gw_abc_0"));
  }
}
