package org.llmgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.Yaml;

class ConfigCenterApiTest {
  static final String TOKEN = "cc-token-91aa";
  static final String FILE = "/admin/config/files/providers.yaml";

  private FakeUpstream upstream;
  private GatewayUnderTest gw;
  private ConsoleClient browser;
  private Path history;

  @BeforeEach
  void start() throws IOException {
    upstream = new FakeUpstream().script(r -> FakeUpstream.ok("hi"));
    history = Files.createTempDirectory("gw-history");
    gw =
        GatewayUnderTest.builder()
            .file(
                "providers.yaml",
                Yaml.providers(Yaml.provider("alpha", upstream.baseUrl(), "a1", "sk-alpha-one")))
            .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
            .env("GATEWAY_ADMIN_TOKEN", TOKEN)
            .env("GATEWAY_CONFIG_HISTORY_DIR", history.toString())
            .start();
    browser = new ConsoleClient(gw);
    browser.login(TOKEN, "alice", null);
  }

  @AfterEach
  void stop() throws IOException {
    gw.close();
    upstream.close();
    delete(history);
    delete(gw.configDir());
  }

  static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private JsonNode open() {
    HttpResponse<String> r = browser.get(FILE);
    assertEquals(200, r.statusCode(), r.body());
    return ConsoleClient.json(r);
  }

  private HttpResponse<String> save(String text, String baseHash) {
    return browser.send(
        "PUT",
        FILE,
        ConsoleClient.JSON.valueToTree(Map.of("text", text, "base_hash", baseHash)).toString());
  }

  private String onDisk() throws IOException {
    return Files.readString(gw.configDir().resolve("providers.yaml"));
  }

  @Test
  void theEditorGetsTheFileWithInlineSecretsMaskedAndItsHash() {
    JsonNode f = open();
    assertFalse(f.toString().contains("sk-alpha-one"));
    assertTrue(f.get("text").asText().contains("value: \"***masked***\""), f.toString());
    assertEquals(1, f.get("masked_values").asInt());
    assertEquals(64, f.get("hash").asText().length());
    JsonNode overview = ConsoleClient.json(browser.get("/admin/config"));
    assertTrue(overview.get("editable").asBoolean());
    assertEquals(history.toAbsolutePath().toString(), overview.get("history_dir").asText());
    assertEquals("models.yaml", overview.at("/files/1/name").asText());
  }

  @Test
  void aSaveKeepsTheMaskedSecretValidatesWritesAndAppliesAtOnce() throws IOException {
    JsonNode f = open();
    String edited = f.get("text").asText().replace("timeout_ms: 5000", "timeout_ms: 7000");
    HttpResponse<String> r = save(edited + "  beta:\n    type: mock\n", f.get("hash").asText());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode saved = ConsoleClient.json(r);
    assertTrue(saved.get("saved").asBoolean());
    assertTrue(saved.at("/reload/ok").asBoolean(), r.body());
    assertTrue(saved.at("/reload/changed").asBoolean(), r.body());
    assertFalse(r.body().contains("sk-alpha-one"));
    String disk = onDisk();
    assertTrue(disk.contains("value: \"sk-alpha-one\""), disk);
    assertTrue(disk.contains("timeout_ms: 7000"), disk);
    JsonNode catalog = ConsoleClient.json(browser.get("/admin/catalog"));
    assertEquals(saved.at("/reload/hash").asText(), catalog.at("/runtime/config_hash").asText());
    assertEquals(7000, catalog.at("/providers/0/timeout_ms").asInt());
    assertEquals(200, gw.post("/v1/chat/completions", Yaml.chat("m1")).statusCode());
    assertEquals("Bearer sk-alpha-one", upstream.received().getLast().header("authorization"));
  }

  @Test
  void anInvalidSaveAnswersEveryErrorWithItsPathAndChangesNothing() throws IOException {
    String before = onDisk();
    String activeHash =
        ConsoleClient.json(browser.get("/admin/catalog")).at("/runtime/config_hash").asText();
    JsonNode f = open();
    String bad =
        f.get("text")
            .asText()
            .replace(upstream.baseUrl(), "ftp://nowhere")
            .replace("timeout_ms: 5000", "timeout_ms: soon");
    HttpResponse<String> r = save(bad, f.get("hash").asText());
    assertEquals(422, r.statusCode(), r.body());
    JsonNode body = ConsoleClient.json(r);
    assertEquals("invalid_config", body.at("/error/code").asText());
    assertEquals(2, body.get("errors").size(), r.body());
    assertTrue(
        body.get("errors").toString().contains("providers.yaml: providers.alpha.base_url: "),
        r.body());
    assertTrue(
        body.get("errors").toString().contains("providers.yaml: providers.alpha.timeout_ms: "),
        r.body());
    assertEquals(before, onDisk());
    assertEquals(
        activeHash,
        ConsoleClient.json(browser.get("/admin/catalog")).at("/runtime/config_hash").asText());
    HttpResponse<String> yaml = save("providers: [unclosed\n", f.get("hash").asText());
    assertEquals(422, yaml.statusCode());
    assertTrue(yaml.body().contains("invalid YAML at line"), yaml.body());
    assertEquals(0, ConsoleClient.json(browser.get(FILE + "/versions")).get("versions").size());
  }

  @Test
  void aSaveThatBreaksAnotherFileOfTheDirectoryIsRejected() throws IOException {
    JsonNode f = open();
    String renamed = f.get("text").asText().replace("  alpha:", "  gamma:");
    HttpResponse<String> r = save(renamed, f.get("hash").asText());
    assertEquals(422, r.statusCode(), r.body());
    assertTrue(r.body().contains("models.yaml: models.m1."), r.body());
    assertTrue(
        r.body()
            .contains("providers.yaml: providers.gamma.keys[0].value: the value is still masked"),
        r.body());
  }

  @Test
  void aSaveBasedOnAnOlderVersionIsRefusedWithAConflict() throws IOException {
    JsonNode f = open();
    gw.writeConfig("providers.yaml", onDisk().replace("timeout_ms: 5000", "timeout_ms: 6000"));
    HttpResponse<String> r =
        save(
            f.get("text").asText().replace("timeout_ms: 5000", "timeout_ms: 9000"),
            f.get("hash").asText());
    assertEquals(409, r.statusCode(), r.body());
    JsonNode body = ConsoleClient.json(r);
    assertEquals("edit_conflict", body.at("/error/code").asText());
    assertTrue(
        body.at("/error/message").asText().contains("changed since you opened it"), r.body());
    assertNotEquals(f.get("hash").asText(), body.get("current_hash").asText());
    assertTrue(onDisk().contains("timeout_ms: 6000"));
  }

  @Test
  void everySaveIsAVersionWithTimeAndOperatorThatCanBeDiffedAndRestored() throws IOException {
    String original = onDisk();
    JsonNode f = open();
    assertEquals(
        200,
        save(
                f.get("text").asText().replace("timeout_ms: 5000", "timeout_ms: 7000"),
                f.get("hash").asText())
            .statusCode());
    JsonNode versions = ConsoleClient.json(browser.get(FILE + "/versions")).get("versions");
    assertEquals(2, versions.size(), versions.toString());
    assertEquals("alice", versions.get(0).get("operator").asText());
    assertEquals("save", versions.get(0).get("action").asText());
    assertEquals("found before the first console save", versions.get(1).get("action").asText());
    String firstId = versions.get(1).get("id").asText();
    JsonNode first = ConsoleClient.json(browser.get(FILE + "/versions/" + firstId));
    assertTrue(first.get("text").asText().contains("timeout_ms: 5000"));
    assertFalse(first.toString().contains("sk-alpha-one"));
    JsonNode diff = ConsoleClient.json(browser.get(FILE + "/versions/" + firstId + "/diff"));
    assertFalse(diff.get("identical").asBoolean());
    assertTrue(
        diff.get("diff").toString().contains("\"-    timeout_ms: 5000\",\"+    timeout_ms: 7000\""),
        diff.toString());
    try (Stream<Path> files = Files.walk(history)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(p).contains("sk-alpha-one"), "secret copied into " + p);
      }
    }
    HttpResponse<String> restored =
        browser.send(
            "POST",
            FILE + "/versions/" + firstId + "/restore",
            "{\"base_hash\":\"" + open().get("hash").asText() + "\"}");
    assertEquals(200, restored.statusCode(), restored.body());
    assertEquals(original, onDisk());
    assertEquals(
        "restore " + firstId,
        ConsoleClient.json(browser.get(FILE + "/versions")).at("/versions/0/action").asText());
    assertTrue(
        ConsoleClient.json(browser.get(FILE + "/versions/" + firstId + "/diff"))
            .get("identical")
            .asBoolean());
  }

  @Test
  void anUnwritableHistoryIsAClearErrorAndNothingChanges() throws IOException {
    Path notADirectory =
        Files.writeString(history.resolve("blocker"), "a file where the history should be");
    try (GatewayUnderTest other =
        GatewayUnderTest.builder()
            .file("providers.yaml", onDisk())
            .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
            .env("GATEWAY_ADMIN_TOKEN", TOKEN)
            .env("GATEWAY_CONFIG_HISTORY_DIR", notADirectory.toString())
            .start()) {
      ConsoleClient c = new ConsoleClient(other);
      c.login(TOKEN, "alice", null);
      JsonNode f = ConsoleClient.json(c.get(FILE));
      String before = Files.readString(other.configDir().resolve("providers.yaml"));
      HttpResponse<String> r =
          c.send(
              "PUT",
              FILE,
              ConsoleClient.JSON
                  .valueToTree(
                      Map.of(
                          "text",
                          f.get("text").asText().replace("timeout_ms: 5000", "timeout_ms: 7000"),
                          "base_hash",
                          f.get("hash").asText()))
                  .toString());
      assertEquals(500, r.statusCode(), r.body());
      JsonNode error = ConsoleClient.json(r).get("error");
      assertEquals("config_not_writable", error.get("code").asText());
      assertTrue(error.get("message").asText().contains("GATEWAY_CONFIG_HISTORY_DIR"), r.body());
      assertEquals(before, Files.readString(other.configDir().resolve("providers.yaml")));
      delete(other.configDir());
    }
  }

  @Test
  void onlyTheConfigFilesCanBeAddressed() {
    for (String path :
        new String[] {
          "/admin/config/files/..%2Fsecrets.yaml",
          "/admin/config/files/gateway_keys.yaml",
          "/admin/config/files/providers.yaml/versions/..%2F..%2Fx",
          "/admin/config/files/providers.yaml/versions/1"
        }) {
      int status = browser.get(path).statusCode();
      assertTrue(status == 404 || status == 400, path + " answered " + status);
    }
    assertEquals(
        415,
        browser
            .sendWith(
                "PUT", FILE, "text=x", "X-CSRF-Token", browser.csrf(), "Content-Type", "text/plain")
            .statusCode());
  }

  @Test
  void aGatewayReadingOneFileHasNothingToEdit() throws IOException {
    Path one = Files.createTempDirectory("gw-one");
    Path file =
        Files.writeString(
            one.resolve("all.yaml"), onDisk() + "models:\n" + Yaml.model("m1", "alpha"));
    try (GatewayUnderTest single =
        GatewayUnderTest.builder()
            .env("GATEWAY_ADMIN_TOKEN", TOKEN)
            .env("GATEWAY_CONFIG_HISTORY_DIR", history.toString())
            .env("GATEWAY_CONFIG_FILE", file.toString())
            .start()) {
      ConsoleClient c = new ConsoleClient(single);
      c.login(TOKEN, "alice", null);
      JsonNode overview = ConsoleClient.json(c.get("/admin/config"));
      assertFalse(overview.get("editable").asBoolean());
      assertEquals(0, overview.get("files").size());
      HttpResponse<String> r = c.get(FILE);
      assertEquals(404, r.statusCode());
      assertTrue(r.body().contains("GATEWAY_CONFIG_FILE"), r.body());
      delete(single.configDir());
    } finally {
      delete(one);
    }
  }
}
