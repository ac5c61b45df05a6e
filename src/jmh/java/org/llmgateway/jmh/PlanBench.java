package org.llmgateway.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.llmgateway.config.ConfigLoader;
import org.llmgateway.config.GatewayConfig;
import org.llmgateway.config.Model;
import org.llmgateway.config.Operation;
import org.llmgateway.routing.Attempt;
import org.llmgateway.routing.BreakerPolicy;
import org.llmgateway.routing.Circuits;
import org.llmgateway.routing.Decision;
import org.llmgateway.routing.KeyPool;
import org.llmgateway.routing.Plan;
import org.llmgateway.routing.Route;
import org.llmgateway.routing.Router;
import org.llmgateway.routing.Snapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Building the plan of attempts as {@code Relay} does: {@link Router#routes} then a {@link Plan}
 * over a {@link KeyPool} and {@link Circuits} in their normal state (no key cooling, every circuit
 * closed), wired like {@code Gateway} (thread-local random, 16 attempts at most). {@code one}: a
 * model with one provider; {@code five}: two default providers then three weighted ones, two keys
 * each. {@code firstAttempt} is the common case (the first attempt succeeds); {@code allAttempts}
 * walks the whole plan as if every provider failed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlanBench {
  private static final String YAML =
      """
      version: 1
      providers:
        p1: {base_url: "http://p1.test", keys: [{id: k1, value: v1}, {id: k2, value: v2}]}
        p2: {base_url: "http://p2.test", keys: [{id: k1, value: v1}, {id: k2, value: v2}]}
        p3: {base_url: "http://p3.test", keys: [{id: k1, value: v1}, {id: k2, value: v2}], weight: 5}
        p4: {base_url: "http://p4.test", keys: [{id: k1, value: v1}, {id: k2, value: v2}], weight: 3}
        p5: {base_url: "http://p5.test", keys: [{id: k1, value: v1}, {id: k2, value: v2}], weight: 2}
      models:
        one:
          provider_map: {p1: upstream-one}
        five:
          provider_map: {p1: m1, p2: m2, p3: m3, p4: m4, p5: m5}
          policy:
            default_providers: [p1, p2]
      """;
  private static final int MAX_ATTEMPTS = 16;

  @Param({"one", "five"})
  public String model;

  private Snapshot snapshot;
  private Model m;
  private final Router router = new Router(() -> ThreadLocalRandom.current().nextLong());
  private final KeyPool keys = new KeyPool(Clock.systemUTC());
  private final Circuits circuits = new Circuits(Clock.systemUTC(), BreakerPolicy.DEFAULT);

  @Setup
  public void setup() {
    snapshot = new Snapshot(load(YAML), Instant.now());
    m = snapshot.model(model).orElseThrow();
    int expected = model.equals("one") ? 2 : 10; // every key of every provider
    if (allAttempts(null) != expected) {
      throw new IllegalStateException("unexpected plan length for " + model);
    }
  }

  /** Routes plus the first attempt: the path of a request that succeeds at once. */
  @Benchmark
  public Attempt firstAttempt() {
    List<Route> routes = router.routes(snapshot, m, Operation.CHAT_COMPLETIONS, Optional.empty());
    return new Plan(routes, keys, circuits, MAX_ATTEMPTS).next().orElseThrow();
  }

  /**
   * Routes plus every attempt of the plan (each key, then the next provider): the worst case
   * without I/O.
   */
  @Benchmark
  public int allAttempts(Blackhole bh) {
    List<Route> routes = router.routes(snapshot, m, Operation.CHAT_COMPLETIONS, Optional.empty());
    Plan plan = new Plan(routes, keys, circuits, MAX_ATTEMPTS);
    int n = 0;
    for (Optional<Attempt> a = plan.next(); a.isPresent(); a = plan.next()) {
      if (bh != null) {
        bh.consume(a.get());
      }
      plan.after(Decision.NEXT_KEY);
      n++;
    }
    return n;
  }

  static GatewayConfig load(String yaml) {
    try {
      Path dir = Files.createTempDirectory("jmh-cfg");
      Files.writeString(dir.resolve("gateway.yaml"), yaml);
      GatewayConfig config = new ConfigLoader(Map.<String, String>of()::get).loadDirectory(dir);
      Files.delete(dir.resolve("gateway.yaml"));
      Files.delete(dir);
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
