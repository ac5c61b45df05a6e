package org.llmgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.FakeUpstream;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.Yaml;

class ReloadUnderLoadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode ready(GatewayUnderTest gw) {
    HttpResponse<String> r = gw.get("/readyz");
    try {
      JsonNode body = JSON.readTree(r.body());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("ready", body.get("status").asText(), r.body());
      return body;
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  @Test
  void editingBreakingAndRepairingTheConfigUnderConcurrentLoadFailsNoRequest() throws Exception {
    try (FakeUpstream upstream = new FakeUpstream();
        GatewayUnderTest gw =
            GatewayUnderTest.builder()
                .file(
                    "providers.yaml",
                    Yaml.providers(Yaml.provider("alpha", upstream.baseUrl(), "a1", "sk-up-1")))
                .file("models.yaml", Yaml.models(Yaml.model("m1", "alpha")))
                .start()) {
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger ok = new AtomicInteger();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        workers.add(
            Thread.ofVirtual()
                .name("load-" + i)
                .start(
                    () -> {
                      while (running.get()) {
                        try {
                          HttpResponse<String> r = gw.post("/v1/chat/completions", Yaml.chat("m1"));
                          if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                          } else {
                            failures.add(r.statusCode() + " " + r.body());
                          }
                        } catch (RuntimeException e) {
                          failures.add(e.toString());
                        }
                      }
                    }));
      }
      Await.until(Duration.ofSeconds(2), "traffic flowing", () -> ok.get() > 20);

      gw.writeConfig(
          "models.yaml", Yaml.models(Yaml.model("m1", "alpha"), Yaml.model("m2", "alpha")));
      long edited = System.nanoTime();
      Await.until(
          Duration.ofSeconds(2),
          "the new model m2 routable",
          () -> gw.post("/v1/chat/completions", Yaml.chat("m2")).statusCode() == 200);
      assertTrue(System.nanoTime() - edited < Duration.ofSeconds(2).toNanos());
      ready(gw);

      gw.writeConfig("models.yaml", "version: 1\nmodels:\n  m1: [broken\n");
      Await.until(
          Duration.ofSeconds(3),
          "/readyz shows the reload errors",
          () -> ready(gw).has("last_reload_errors"));
      JsonNode broken = ready(gw);
      assertTrue(
          broken.get("last_reload_errors").get(0).asText().contains("models.yaml"),
          broken.toString());
      assertEquals(
          200,
          gw.post("/v1/chat/completions", Yaml.chat("m2")).statusCode(),
          "the last good config serves");

      gw.writeConfig(
          "models.yaml", Yaml.models(Yaml.model("m1", "alpha"), Yaml.model("m3", "alpha")));
      Await.until(
          Duration.ofSeconds(3),
          "the repaired config live and the errors cleared",
          () ->
              !ready(gw).has("last_reload_errors")
                  && gw.post("/v1/chat/completions", Yaml.chat("m3")).statusCode() == 200);
      int before = ok.get();
      Await.until(
          Duration.ofSeconds(2), "more traffic after the repair", () -> ok.get() > before + 20);

      running.set(false);
      for (Thread t : workers) {
        t.join(5_000);
      }
      assertEquals(List.of(), List.copyOf(failures), "no request failed during the reloads");
      assertTrue(ok.get() > 40, "requests ran throughout: " + ok.get());
    }
  }
}
