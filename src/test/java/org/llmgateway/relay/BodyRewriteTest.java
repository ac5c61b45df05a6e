package org.llmgateway.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.llmgateway.error.GatewayException;

class BodyRewriteTest {
  private static ClientBody parse(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return ClientBody.parse(b, b.length);
  }

  private static String rewrite(String json, String model, Map<String, byte[]> defaults) {
    return new String(BodyRewrite.rewrite(parse(json), model, defaults), StandardCharsets.UTF_8);
  }

  @Test
  void onlyTheModelValueChangesAndEverythingElseKeepsItsBytes() {
    String body =
        "{ \"model\" : \"alias\", \"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9 \\ud83d\\ude00 你好\"}],"
            + "\"tools\":[],\"meta\":{},\"seed\":123456789012345678901234567890,\"temperature\":0.70000000000000000001,"
            + "\"x\":1e400,\"unknown_field\":{\"nested\":[1,2,{}]}}";
    String out = rewrite(body, "gpt-4o-mini", Map.of());
    assertEquals(body.replace("\"alias\"", "\"gpt-4o-mini\""), out);
  }

  @Test
  void anUnchangedModelReusesTheClientBytes() {
    byte[] b = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
    ClientBody body = ClientBody.parse(b, b.length);
    assertSame(b, BodyRewrite.rewrite(body, "m", Map.of()));
  }

  @Test
  void modelNamesAreJsonEscaped() {
    assertEquals("{\"model\":\"a\\\"b\\\\c\"}", rewrite("{\"model\":\"x\"}", "a\"b\\c", Map.of()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"provider\":\"p\",\"model\":\"m\",\"n\":1} | {\"model\":\"u\",\"n\":1}",
        "{\"model\":\"m\",\"provider\":\"p\",\"n\":1} | {\"model\":\"u\",\"n\":1}",
        "{\"model\":\"m\",\"n\":1,\"provider\":\"p\"} | {\"model\":\"u\",\"n\":1}",
        "{\"model\":\"m\" , \"provider\" : \"p\" } | {\"model\":\"u\"  }",
        "{\"provider\":{\"x\":[1]},\"model\":\"m\"} | {\"model\":\"u\"}",
      })
  void theProviderFieldIsRemovedWithOneComma(String in, String expected) {
    assertEquals(expected, rewrite(in, "u", Map.of()));
  }

  @Test
  void requestDefaultsFillOnlyFieldsTheClientLeftOut() {
    Map<String, byte[]> defaults = new LinkedHashMap<>();
    defaults.put("temperature", "0.2".getBytes(StandardCharsets.UTF_8));
    defaults.put("max_tokens", "256".getBytes(StandardCharsets.UTF_8));
    defaults.put("extra", "{\"a\":[]}".getBytes(StandardCharsets.UTF_8));
    String out = rewrite("{\"model\":\"m\",\"temperature\":1.0}", "u", defaults);
    assertEquals(
        "{\"model\":\"u\",\"temperature\":1.0,\"max_tokens\":256,\"extra\":{\"a\":[]}}", out);
  }

  @Test
  void allEditsTogetherProduceValidJson() throws Exception {
    Map<String, byte[]> defaults = Map.of("top_p", "0.9".getBytes(StandardCharsets.UTF_8));
    String out =
        rewrite(
            "{\"stream\":true,\"provider\":\"p\",\"model\":\"long-alias-name\",\"messages\":[]}",
            "u",
            defaults);
    assertEquals("{\"stream\":true,\"model\":\"u\",\"messages\":[],\"top_p\":0.9}", out);
    new ObjectMapper().readTree(out);
  }

  @Test
  void parsingFindsTheRoutingFields() {
    ClientBody b = parse("{\"model\":\"m\",\"stream\":true,\"provider\":\"p\"}");
    assertEquals("m", b.model());
    assertTrue(b.stream());
    assertEquals("p", b.provider().orElseThrow());
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | missing request body",
        "'   ' | missing request body",
        "[1,2] | invalid json body: the body must be a JSON object",
        "{\"model\": | invalid json body:",
        "{\"model\":\"m\"} x | invalid json body:",
        "{} | missing model",
        "{\"model\":\"\"} | missing model",
        "{\"model\":5} | missing model",
        "{\"model\":null} | missing model",
        "{\"model\":\"a\",\"model\":\"b\"} | invalid json body: duplicate field \"model\"",
      })
  void badBodiesGetTheOriginalsMessages(String body, String message) {
    GatewayException e = assertThrows(GatewayException.class, () -> parse(body));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertEquals(400, e.kind().status());
  }

  @Test
  void aBufferLongerThanTheBodyIsReadOnlyToItsLength() {
    byte[] b = new byte[64];
    byte[] json = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(json, 0, b, 0, json.length);
    ClientBody body = ClientBody.parse(b, json.length);
    assertArrayEquals(json, BodyRewrite.rewrite(body, "m", Map.of()));
  }
}
