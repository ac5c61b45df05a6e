package org.llmgateway.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.llmgateway.config.Dialect;
import org.llmgateway.error.GatewayException;

/**
 * The translation tables as data: each file in {@code
 * src/test/resources/translate/<client>-over-<provider>/} is one feature, with the client's request
 * and what the provider must receive (or the 400 it must cause), and optionally the provider's
 * answer and what the client must see, whole and as a stream of events.
 */
class TranslationGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> everyGoldenPairTranslatesExactly() throws IOException, URISyntaxException {
    URL root = TranslationGoldenTest.class.getResource("/translate");
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        String pair = f.getParent().getFileName().toString();
        tests.add(
            DynamicTest.dynamicTest(
                pair + "/" + f.getFileName(), () -> check(pair, JSON.readTree(f.toFile()))));
      }
    }
    assertTrue(tests.size() >= 12, "golden files found: " + tests.size());
    return tests.stream();
  }

  private static Translation translation(String pair) {
    String[] sides = pair.split("-over-");
    return Translations.between(
        Dialect.valueOf(sides[0].toUpperCase(Locale.ROOT)),
        Dialect.valueOf(sides[1].toUpperCase(Locale.ROOT)));
  }

  private static void check(String pair, JsonNode golden) throws IOException {
    Translation t = translation(pair);
    ObjectNode clientRequest = (ObjectNode) golden.get("client_request");
    if (golden.has("error")) {
      GatewayException e =
          assertThrows(
              GatewayException.class,
              () -> {
                ObjectNode body = t.request(clientRequest.deepCopy());
                t.complete(body);
              });
      assertEquals(400, e.kind().status());
      assertEquals(golden.get("error").asText(), e.getMessage());
      return;
    }
    ObjectNode upstream = t.request(clientRequest.deepCopy());
    t.complete(upstream);
    assertEquals(golden.get("upstream_request"), reparsed(upstream), "upstream request");
    if (golden.has("upstream_response")) {
      ObjectNode client = t.response((ObjectNode) golden.get("upstream_response").deepCopy());
      assertEquals(golden.get("client_response"), normalize(reparsed(client)), "client response");
    }
    if (golden.has("upstream_events")) {
      StreamTranslator s = t.stream();
      List<SseEvent> out = new ArrayList<>();
      for (JsonNode e : golden.get("upstream_events")) {
        JsonNode data = e.get("data");
        s.event(
            new SseEvent(
                e.path("event").asText(""),
                data.isTextual() ? data.asText() : JSON.writeValueAsString(data)),
            out);
      }
      s.end(out);
      ArrayNode seen = JSON.createArrayNode();
      for (SseEvent e : out) {
        ObjectNode o = seen.addObject();
        if (!e.name().isEmpty()) {
          o.put("event", e.name());
        }
        JsonNode data =
            e.data().equals("[DONE]")
                ? JSON.getNodeFactory().textNode("[DONE]")
                : JSON.readTree(e.data());
        o.set("data", normalize(data));
      }
      assertEquals(golden.get("client_events"), seen, "client events");
    }
  }

  /**
   * As the client would read it: the built tree's long and int numbers compare as the parsed
   * golden's do.
   */
  private static JsonNode reparsed(JsonNode built) throws IOException {
    return JSON.readTree(JSON.writeValueAsString(built));
  }

  /**
   * Drops what depends on the clock ({@code created}) and stands in for random gateway call ids.
   */
  private static JsonNode normalize(JsonNode node) {
    if (node instanceof ObjectNode o) {
      o.remove("created");
      o.properties()
          .forEach(
              f -> {
                if (f.getKey().equals("id")
                    && f.getValue().asText().startsWith(GeminiCallIds.PREFIX)) {
                  f.setValue(JSON.getNodeFactory().textNode("call_gw_*"));
                } else {
                  normalize(f.getValue());
                }
              });
    } else if (node instanceof ArrayNode a) {
      a.forEach(TranslationGoldenTest::normalize);
    }
    return node;
  }
}
