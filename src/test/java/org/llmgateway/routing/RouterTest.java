package org.llmgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.llmgateway.config.Model;
import org.llmgateway.config.Operation;
import org.llmgateway.testing.Configs;

class RouterTest {
  private static final String YAML =
      """
      version: 1
      providers:
        a: {base_url: "http://a.test", keys: [{id: k, value: v}], weight: 7, endpoints: {chat_completions: /v1/chat/completions}}
        b: {base_url: "http://b.test", keys: [{id: k, value: v}], weight: 3, endpoints: {chat_completions: /v1/chat/completions}}
        c: {base_url: "http://c.test", keys: [{id: k, value: v}], weight: 5, endpoints: {embeddings: /v1/embeddings}}
        d: {base_url: "http://d.test", keys: [{id: k, value: v}], weight: 0}
        e: {base_url: "http://e.test", keys: [{id: k, value: v}]}
      models:
        weighted:
          provider_map: {a: ma, b: mb, c: mc}
        prioritised:
          provider_map: {a: ma, b: mb, d: md, e: me}
          policy:
            default_providers: [e, d]
            default_provider: b
        fenced:
          provider_map: {a: ma, b: mb, e: me}
          policy:
            allow_providers: [a, b]
      """;
  private final Snapshot snapshot = Configs.snapshot(YAML);
  private final Router router = new Router(new SplittableRandom(42));

  private List<String> names(String model, Optional<String> requested) {
    Model m = snapshot.model(model).orElseThrow();
    return router.routes(snapshot, m, Operation.CHAT_COMPLETIONS, requested).stream()
        .map(r -> r.provider().name())
        .toList();
  }

  @Test
  void weightsSevenAndThreeSplitTheFirstAttemptAboutSeventyThirty() {
    Map<String, Integer> first = new HashMap<>();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      first.merge(names("weighted", Optional.empty()).get(0), 1, Integer::sum);
    }
    double shareA = first.get("a") / (double) n;
    assertTrue(Math.abs(shareA - 0.7) < 0.02, "share of a was " + shareA);
    assertEquals(n, first.get("a") + first.get("b"));
  }

  @Test
  void providersWithoutTheOperationAreLeftOut() {
    assertEquals(2, names("weighted", Optional.empty()).size());
    Model m = snapshot.model("weighted").orElseThrow();
    assertEquals(
        List.of("c"),
        router.routes(snapshot, m, Operation.EMBEDDINGS, Optional.empty()).stream()
            .map(r -> r.provider().name())
            .toList());
  }

  @Test
  void defaultProvidersComeFirstInStrictOrderThenTheRest() {
    for (int i = 0; i < 50; i++) {
      List<String> order = names("prioritised", Optional.empty());
      assertEquals(List.of("e", "d", "b"), order.subList(0, 3));
      assertEquals("a", order.get(3));
    }
  }

  @Test
  void theRequestedProviderGoesFirstWhenAllowed() {
    assertEquals(List.of("a", "e", "d", "b"), names("prioritised", Optional.of("a")));
  }

  @Test
  void allowProvidersIsAWhitelistTheProviderFieldCannotEscape() {
    for (int i = 0; i < 50; i++) {
      List<String> order = names("fenced", Optional.of("e"));
      assertEquals(2, order.size());
      assertTrue(!order.contains("e"));
    }
  }

  @Test
  void weightZeroProvidersComeLast() {
    Model m = snapshot.model("prioritised").orElseThrow();
    for (int i = 0; i < 50; i++) {
      List<String> rest =
          router
              .weightedOrder(
                  List.of(
                      snapshot.config().providers().get("d"),
                      snapshot.config().providers().get("a")))
              .stream()
              .map(p -> p.name())
              .toList();
      assertEquals(List.of("a", "d"), rest);
    }
    assertEquals(
        4, router.routes(snapshot, m, Operation.CHAT_COMPLETIONS, Optional.empty()).size());
  }

  @Test
  void theUpstreamModelIsTheProviderMapValue() {
    Model m = snapshot.model("weighted").orElseThrow();
    router
        .routes(snapshot, m, Operation.CHAT_COMPLETIONS, Optional.empty())
        .forEach(r -> assertEquals("m" + r.provider().name(), r.upstreamModel()));
  }
}
