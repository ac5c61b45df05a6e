package org.llmgateway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A chaos soak: three fake providers with two keys each behind one model, every upstream attempt
 * failing at random with a given mix of faults (429 with {@code Retry-After: 1}, 500, 503, a
 * connection dropped before the headers, a hang past {@code timeout_ms}, a stream that dies after
 * two events), and paced clients sending a mix of streams and non-streams through the real gateway.
 *
 * <p>The fault of an attempt is a function of the seed, the request id and the attempt's number
 * within the request, so two runs with the same seed meet the same faults whatever order the
 * gateway tries providers in: a run with the breaker on and one with it off differ only by what the
 * breaker does.
 */
public final class ChaosSoak implements AutoCloseable {
  /** What one upstream attempt does. */
  public enum Fault {
    NONE,
    RATE_LIMITED,
    ERROR_500,
    ERROR_503,
    DROP,
    HANG,
    STREAM_DEATH
  }

  /** The providers, each with keys {@code <name>-1} and {@code <name>-2}. */
  public static final List<String> PROVIDERS = List.of("pa", "pb", "pc");

  /** Per-attempt probabilities of each fault; the rest of the time the attempt succeeds. */
  public record Mix(Map<Fault, Double> shares) {
    public static final Mix NONE = new Mix(Map.of());

    /** 500, 503, drop, hang and stream death, {@code total} in all, evenly. */
    public static Mix providerFaults(double total) {
      return even(
          total, Fault.ERROR_500, Fault.ERROR_503, Fault.DROP, Fault.HANG, Fault.STREAM_DEATH);
    }

    /** Every fault including 429s, {@code total} in all, evenly. */
    public static Mix withRateLimits(double total) {
      return even(
          total,
          Fault.RATE_LIMITED,
          Fault.ERROR_500,
          Fault.ERROR_503,
          Fault.DROP,
          Fault.HANG,
          Fault.STREAM_DEATH);
    }

    private static Mix even(double total, Fault... faults) {
      Map<Fault, Double> m = new EnumMap<>(Fault.class);
      for (Fault f : faults) {
        m.put(f, total / faults.length);
      }
      return new Mix(m);
    }

    Fault pick(double u) {
      double acc = 0;
      for (Map.Entry<Fault, Double> e : new TreeMap<>(shares).entrySet()) {
        acc += e.getValue();
        if (u < acc) {
          return e.getKey();
        }
      }
      return Fault.NONE;
    }
  }

  /**
   * One run's load.
   *
   * @param label names the run in the report
   * @param requestTimeoutMs the gateway's request deadline ({@code GATEWAY_REQUEST_TIMEOUT_MS})
   */
  public record Load(
      String label,
      int clients,
      int perSecond,
      Duration duration,
      long seed,
      int requestTimeoutMs) {
    /**
     * The soak tests' load, from the {@code soak.*} system properties {@code src/bench/soak.sh}
     * sets (3 s, 50 clients, 100 requests/s, a fixed seed by default; a 5 s request deadline).
     */
    public static Load fromSystemProperties(String label) {
      return new Load(
          label,
          Integer.getInteger("soak.clients", 50),
          Integer.getInteger("soak.rate", 100),
          Duration.ofSeconds(Long.getLong("soak.seconds", 3)),
          Long.getLong("soak.seed", 20261204L),
          5_000);
    }

    int total() {
      return (int) (perSecond * duration.toMillis() / 1000);
    }
  }

  /** What one client request got. */
  public record Outcome(
      String requestId, boolean stream, int status, String body, long startNanos, long endNanos) {
    public long millis() {
      return (endNanos - startNanos) / 1_000_000;
    }

    /** A 200 stream ends with [DONE] or an error event; a 200 body is a completion. */
    public boolean complete() {
      if (status != 200) {
        return false;
      }
      return stream
          ? body.contains("data: [DONE]") || body.contains("\"error\"")
          : body.contains("chat.completion");
    }
  }

  /** A run's figures and the rule violations found. */
  public record Report(
      String label,
      List<Outcome> outcomes,
      Map<Integer, Integer> byStatus,
      List<String> violations) {
    public long ok() {
      return byStatus.getOrDefault(200, 0);
    }

    public double okShare() {
      return outcomes.isEmpty() ? 0 : (double) ok() / outcomes.size();
    }

    public String line() {
      long maxMs = outcomes.stream().mapToLong(Outcome::millis).max().orElse(0);
      return String.format(
          "%-34s requests=%5d  200=%6.2f%%  statuses=%s  max=%d ms  violations=%d",
          label, outcomes.size(), okShare() * 100, byStatus, maxMs, violations.size());
    }
  }

  /**
   * Timeout of one attempt ({@code timeout_ms}); a hang lasts {@link #HANG_FACTOR} times longer.
   * Long enough that a loaded 2-core CI machine still connects to a local fake within it: a connect
   * timeout never reaches the fake, so the checker could not see that the provider was tried.
   */
  static final int TIMEOUT_MS = 1000;

  private static final int HANG_FACTOR = 3;

  /**
   * How long a 429's key stays cooling ({@code Retry-After: 1}), plus the slack allowed when
   * checking skips.
   */
  private static final long COOLING_WINDOW_NANOS = 1_300_000_000L;

  private static final int STREAM_EVENTS = 4;
  private static final int WARM_UP_PER_CLIENT = 4;
  private static final int STREAM_GAP_MS = 5;

  private final Map<String, FakeUpstream> upstreams = new TreeMap<>();
  private final Map<String, AtomicInteger> attemptsByRequest = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> providersByRequest = new ConcurrentHashMap<>();
  private final Map<String, List<Long>> rateLimitedAt = new ConcurrentHashMap<>();
  private volatile Mix mix = Mix.NONE;
  private volatile long seed;

  public ChaosSoak() {
    for (String p : PROVIDERS) {
      FakeUpstream f = new FakeUpstream();
      f.script(r -> reply(p, r));
      upstreams.put(p, f);
    }
  }

  /** The gateway configuration: one model {@code chaos} over the three providers, two keys each. */
  public String config() {
    StringBuilder sb = new StringBuilder("version: 1\nproviders:\n");
    for (var e : upstreams.entrySet()) {
      String p = e.getKey();
      sb.append("  ")
          .append(p)
          .append(":\n    base_url: \"")
          .append(e.getValue().baseUrl())
          .append("\"\n")
          .append("    timeout_ms: ")
          .append(TIMEOUT_MS)
          .append('\n')
          .append("    endpoints: {chat_completions: /v1/chat/completions}\n")
          .append("    keys:\n      - {id: ")
          .append(p)
          .append("-1, value: sk-soak-")
          .append(p)
          .append("-1}\n")
          .append("      - {id: ")
          .append(p)
          .append("-2, value: sk-soak-")
          .append(p)
          .append("-2}\n");
    }
    sb.append("models:\n  chaos:\n    provider_map: {pa: up-a, pb: up-b, pc: up-c}\n");
    return sb.toString();
  }

  /**
   * A gateway on this soak's configuration with the soak's settings plus {@code env} (name, value
   * pairs).
   */
  public GatewayUnderTest startGateway(Load load, String... env) {
    GatewayUnderTest.Builder b =
        GatewayUnderTest.builder()
            .file("gateway.yaml", config())
            .env("GATEWAY_KEY_COOLDOWN_SEC", "1")
            .env("GATEWAY_REQUEST_TIMEOUT_MS", Integer.toString(load.requestTimeoutMs()))
            .env("GATEWAY_LOG_BODIES", "false");
    for (int i = 0; i + 1 < env.length; i += 2) {
      b.env(env[i], env[i + 1]);
    }
    return b.start();
  }

  public FakeUpstream upstream(String provider) {
    return upstreams.get(provider);
  }

  public void faults(Mix m) {
    this.mix = m;
  }

  /**
   * Sends the load through {@code gateway} with {@code faults} injected, then checks every rule.
   */
  public Report run(GatewayUnderTest gateway, Load load, Mix faults) {
    return run(List.of(gateway), load, faults);
  }

  /**
   * Sends the load through {@code gateways} in turn (request {@code i} to gateway {@code i mod n}:
   * replicas behind a round-robin balancer) with {@code faults} injected, then checks every rule.
   */
  public Report run(List<GatewayUnderTest> gateways, Load load, Mix faults) {
    seed = load.seed();
    attemptsByRequest.clear();
    providersByRequest.clear();
    rateLimitedAt.clear();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    for (GatewayUnderTest gateway : gateways) {
      warmUp(client, gateway, load);
    }
    mix = faults;
    int total = load.total();
    Outcome[] outcomes = new Outcome[total];
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime() + 50_000_000L;
    long gapNanos = 1_000_000_000L / load.perSecond();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < load.clients(); c++) {
        clients.submit(
            () -> {
              for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                parkUntil(start + i * gapNanos);
                outcomes[i] = send(client, gateways.get(i % gateways.size()), load, i);
              }
            });
      }
    } finally {
      mix = Mix.NONE;
      client.close();
    }
    return check(load, List.of(outcomes));
  }

  /**
   * Before the faults: every client sends a few healthy requests at once, so that the measured run
   * does not start on a cold JIT, cold fakes and no pooled connections (a cold start on a loaded
   * 2-core machine took seconds).
   */
  private void warmUp(HttpClient client, GatewayUnderTest gateway, Load load) {
    mix = Mix.NONE;
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < load.clients(); c++) {
        int first = -1_000_000 - c * WARM_UP_PER_CLIENT;
        clients.submit(
            () -> {
              for (int i = 0; i < WARM_UP_PER_CLIENT; i++) {
                send(client, gateway, load, first - i);
              }
            });
      }
    }
  }

  /** One request with no faults: non-stream, then stream; both must be complete 200s. */
  public List<Outcome> healthyRequests(GatewayUnderTest gateway, Load load) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      return List.of(send(client, gateway, load, -1), send(client, gateway, load, -2));
    } finally {
      client.close();
    }
  }

  private Outcome send(HttpClient client, GatewayUnderTest gateway, Load load, int i) {
    boolean stream = Math.floorMod(i, 2) == 0;
    String id = "soak-" + load.seed() + "-" + load.label().replaceAll("[^A-Za-z0-9]", "") + "-" + i;
    String body =
        "{\"model\":\"chaos\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"request "
            + i
            + "\"}]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
            .timeout(Duration.ofMillis(load.requestTimeoutMs() + 5_000L))
            .header("Content-Type", "application/json")
            .header("X-Request-Id", id)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Outcome(id, stream, r.statusCode(), r.body(), t0, System.nanoTime());
    } catch (IOException e) {
      return new Outcome(id, stream, -1, String.valueOf(e), t0, System.nanoTime());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(id, stream, -2, "interrupted", t0, System.nanoTime());
    }
  }

  private Report check(Load load, List<Outcome> outcomes) {
    Map<Integer, Integer> byStatus = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    for (Outcome o : outcomes) {
      byStatus.merge(o.status(), 1, Integer::sum);
      if (o.millis() > load.requestTimeoutMs() + 1_000L) {
        violations.add(o.requestId() + " took " + o.millis() + " ms, past its deadline");
      }
      if (o.status() == 200 && !o.complete()) {
        violations.add(o.requestId() + " 200 without [DONE] or an error event: " + tail(o.body()));
      }
      if (o.status() < 0) {
        violations.add(o.requestId() + " got no answer: " + o.body());
      }
      // a 504 says the deadline ran out first: trying every provider was not possible (the deadline
      // rule above
      // already bounds how long that took)
      if (o.status() >= 500 && o.status() != 504) {
        for (String p : PROVIDERS) {
          if (!providersByRequest.getOrDefault(o.requestId(), Set.of()).contains(p)
              && !cooling(p, o)) {
            violations.add(
                o.requestId()
                    + " answered "
                    + o.status()
                    + " while "
                    + p
                    + " (with a usable key) was never tried: "
                    + tail(o.body()));
          }
        }
      }
    }
    return new Report(load.label(), outcomes, byStatus, violations);
  }

  /**
   * Whether both keys of {@code provider} got a 429 recently enough to be cooling during the
   * request.
   */
  private boolean cooling(String provider, Outcome o) {
    for (int k = 1; k <= 2; k++) {
      boolean cooled = false;
      for (long at : rateLimitedAt.getOrDefault(provider + "-" + k, List.of())) {
        cooled |= at >= o.startNanos() - COOLING_WINDOW_NANOS && at <= o.endNanos();
      }
      if (!cooled) {
        return false;
      }
    }
    return true;
  }

  private FakeUpstream.Reply reply(String provider, FakeUpstream.Received r) {
    String id = r.header("x-request-id");
    String auth = r.header("authorization");
    String key =
        auth == null ? "?" : auth.substring(auth.lastIndexOf("sk-soak-") + "sk-soak-".length());
    boolean stream = r.body().contains("\"stream\":true");
    int attempt = attemptsByRequest.computeIfAbsent(id, x -> new AtomicInteger()).getAndIncrement();
    providersByRequest.computeIfAbsent(id, x -> ConcurrentHashMap.newKeySet()).add(provider);
    Fault fault = mix.pick(uniform(seed, id, attempt));
    return switch (fault) {
      case NONE ->
          stream ? FakeUpstream.chunks(STREAM_EVENTS, STREAM_GAP_MS) : FakeUpstream.ok("fine");
      case RATE_LIMITED -> {
        rateLimitedAt
            .computeIfAbsent(key, x -> new CopyOnWriteArrayList<>())
            .add(System.nanoTime());
        yield new FakeUpstream.Json(
            429,
            "{\"error\":{\"message\":\"rate limited\",\"type\":\"rate_limit\"}}",
            Map.of("Retry-After", "1"));
      }
      case ERROR_500 -> FakeUpstream.status(500, "{\"error\":{\"message\":\"internal\"}}");
      case ERROR_503 -> FakeUpstream.status(503, "{\"error\":{\"message\":\"overloaded\"}}");
      case DROP -> new FakeUpstream.Drop();
      case HANG ->
          new FakeUpstream.Delay((long) TIMEOUT_MS * HANG_FACTOR, FakeUpstream.ok("too late"));
      case STREAM_DEATH -> {
        if (!stream) {
          yield new FakeUpstream.Drop();
        }
        FakeUpstream.Sse s = FakeUpstream.chunks(STREAM_EVENTS, STREAM_GAP_MS);
        yield new FakeUpstream.Sse(s.events(), STREAM_GAP_MS, 2, false);
      }
    };
  }

  /**
   * A uniform number in [0, 1) from the seed, the request id and the attempt number (SplitMix64
   * finaliser).
   */
  static double uniform(long seed, String requestId, int attempt) {
    long h = mix64(seed ^ mix64(requestId.hashCode()) ^ mix64(0x9E3779B97F4A7C15L * (attempt + 1)));
    return (h >>> 11) * 0x1.0p-53;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void parkUntil(long nanos) {
    for (long left = nanos - System.nanoTime(); left > 0; left = nanos - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }

  private static String tail(String s) {
    return s.length() <= 300 ? s : "..." + s.substring(s.length() - 300);
  }

  @Override
  public void close() {
    upstreams.values().forEach(FakeUpstream::close);
  }
}
