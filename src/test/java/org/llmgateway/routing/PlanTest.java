package org.llmgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Configs;
import org.llmgateway.testing.MutableClock;

class PlanTest {
  private static final String YAML =
      """
      version: 1
      providers:
        a: {base_url: "http://a.test", keys: [{id: a1, value: v}, {id: a2, value: v}]}
        b: {base_url: "http://b.test", keys: [{id: b1, value: v}, {id: b2, value: v}]}
        c: {base_url: "http://c.test", keys: [{id: c1, value: v}]}
      models:
        m:
          provider_map: {a: ma, b: mb, c: mc}
      """;
  private final Snapshot snapshot = Configs.snapshot(YAML);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final KeyPool keys = new KeyPool(clock);
  private final Circuits circuits = new Circuits(clock, BreakerPolicy.DEFAULT);

  private List<Route> routes(String... providers) {
    List<Route> out = new ArrayList<>();
    for (String p : providers) {
      out.add(new Route(snapshot.config().providers().get(p), "m-" + p));
    }
    return out;
  }

  /**
   * Runs the plan to its end, every attempt failing at provider level; returns "provider/key" per
   * attempt.
   */
  private static List<String> drain(Plan plan) {
    List<String> out = new ArrayList<>();
    for (Optional<Attempt> a = plan.next(); a.isPresent(); a = plan.next()) {
      out.add(a.get().providerName() + "/" + a.get().key().id());
      plan.after(Decision.NEXT_PROVIDER);
    }
    return out;
  }

  private List<String> providersOf(List<String> attempts) {
    return attempts.stream().map(s -> s.substring(0, s.indexOf('/'))).toList();
  }

  private void open(String provider) {
    for (int i = 0; i < 5; i++) {
      circuits.failed(provider);
    }
  }

  @Test
  void everyProviderIsTriedOnceInPlanOrderWhenAllFail() {
    assertEquals(
        List.of("a", "b", "c"),
        providersOf(drain(new Plan(routes("a", "b", "c"), keys, circuits, 16))));
  }

  @Test
  void anOpenCircuitDemotesItsProviderToTheEndInsteadOfRemovingIt() {
    open("a");
    assertEquals(
        List.of("b", "c", "a"),
        providersOf(drain(new Plan(routes("a", "b", "c"), keys, circuits, 16))));
  }

  @Test
  void whenEveryCircuitIsOpenTheyAreTriedOldestOpeningFirst() {
    open("b");
    clock.advance(Duration.ofSeconds(1));
    open("c");
    clock.advance(Duration.ofSeconds(1));
    open("a");
    assertEquals(
        List.of("b", "c", "a"),
        providersOf(drain(new Plan(routes("a", "b", "c"), keys, circuits, 16))));
  }

  @Test
  void aKeyLevelFailureTriesTheNextKeyOfTheSameProviderFirst() {
    Plan plan = new Plan(routes("a", "b"), keys, circuits, 16);
    Attempt first = plan.next().orElseThrow();
    plan.after(Decision.NEXT_KEY);
    Attempt second = plan.next().orElseThrow();
    assertEquals("a", second.providerName());
    assertTrue(!first.key().id().equals(second.key().id()), "another key of a");
    plan.after(Decision.NEXT_KEY);
    assertEquals("b", plan.next().orElseThrow().providerName());
  }

  @Test
  void aProviderWhoseKeysAllCoolIsPassedOverAndVisitedAgainWhenAKeyReturns() {
    keys.failed("a", "a1", "HTTP 429", Duration.ofSeconds(2));
    keys.failed("a", "a2", "HTTP 429", Duration.ofSeconds(1));
    Plan plan = new Plan(routes("a", "c"), keys, circuits, 16);
    assertEquals("c", plan.next().orElseThrow().providerName());
    plan.after(Decision.NEXT_PROVIDER);
    assertTrue(plan.next().isEmpty());
    assertEquals(
        Optional.of(Duration.ofSeconds(1)),
        plan.untilKeyReturns(),
        "the earliest cooling key of a");
    assertEquals(List.of("a: every key is cooling down"), plan.skipped());
    clock.advance(Duration.ofSeconds(1));
    plan.revisitCooling();
    assertEquals("a/a2", plan.next().map(a -> a.providerName() + "/" + a.key().id()).orElseThrow());
  }

  @Test
  void nothingToWaitForWhenNoProviderWasPassedOverForCoolingKeys() {
    Plan plan = new Plan(routes("a"), keys, circuits, 16);
    drain(plan);
    assertEquals(Optional.empty(), plan.untilKeyReturns());
  }

  @Test
  void theNumberOfAttemptsIsBounded() {
    Plan plan = new Plan(routes("a", "b", "c"), keys, circuits, 2);
    assertEquals(2, drain(plan).size());
    assertEquals(Optional.empty(), plan.untilKeyReturns());
  }

  @Test
  void aHalfOpenProviderKeepsItsPlaceForTheProbesItAdmits() {
    open("a");
    clock.advance(Duration.ofSeconds(30));
    assertEquals(
        "a", new Plan(routes("a", "b"), keys, circuits, 16).next().orElseThrow().providerName());
  }

  @Test
  void aRevisitedProviderWhoseCircuitOpenedMeanwhileStillGetsItsLastResortTurn() {
    keys.failed("a", "a1", "HTTP 429", Duration.ofSeconds(1));
    keys.failed("a", "a2", "HTTP 429", Duration.ofSeconds(1));
    open("b");
    Plan plan = new Plan(routes("a", "b", "c"), keys, circuits, 16);
    assertEquals(List.of("c", "b"), providersOf(drain(plan)), "a cools, b is demoted behind c");
    clock.advance(Duration.ofSeconds(1));
    plan.revisitCooling();
    open("a");
    assertEquals("a", plan.next().orElseThrow().providerName(), "demoted again, not dropped");
  }
}
