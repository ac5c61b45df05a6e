package org.llmgateway.observe;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.llmgateway.config.Operation;

/**
 * In-memory statistics of API requests (the OpenAI operations) for the admin API: a ring of 1440
 * one-minute buckets (24 h), totals since the first start, the latest key cooldowns and the streams
 * open now. Lock-free: a bucket is swapped in by compare-and-set when its minute begins and counted
 * with {@link LongAdder}s, so request threads never wait for each other. Minutes come from the
 * injected {@link Clock}.
 */
public final class Stats {
  /** Minutes kept, and the largest window a view can ask for. */
  public static final int MINUTES = 1440;

  static final int MAX_COOLDOWN_EVENTS = 100;

  /** Only API operations are counted: not health probes, scrapes, model lists or admin calls. */
  private static final Set<String> COUNTED =
      Arrays.stream(Operation.values())
          .map(Operation::configName)
          .collect(Collectors.toUnmodifiableSet());

  private final Clock clock;
  private final AtomicReferenceArray<StatsMinute> ring = new AtomicReferenceArray<>(MINUTES);
  private final LongAdder totalRequests = new LongAdder();
  private final LongAdder totalErrors = new LongAdder();
  private final LongAdder totalTokens = new LongAdder();
  private final ConcurrentLinkedDeque<CooldownEvent> cooldowns = new ConcurrentLinkedDeque<>();
  private final AtomicInteger cooldownCount = new AtomicInteger();
  private final AtomicInteger activeStreams = new AtomicInteger();

  /** A key put into cooldown: until when, why, and when it happened. */
  public record CooldownEvent(
      String provider, String keyId, Instant until, String reason, Instant at) {}

  public Stats(Clock clock) {
    this.clock = clock;
  }

  /** The bucket of {@code minute}, replacing a stale one (from 24 h ago) by compare-and-set. */
  StatsMinute minute(long minute) {
    int i = (int) Math.floorMod(minute, (long) MINUTES);
    while (true) {
      StatsMinute m = ring.get(i);
      if (m != null && m.minute == minute) {
        return m;
      }
      if (m != null && m.minute > minute) {
        return new StatsMinute(
            minute); // a late writer from a minute already overwritten: count nowhere
      }
      StatsMinute fresh = new StatsMinute(minute);
      if (ring.compareAndSet(i, m, fresh)) {
        return fresh;
      }
    }
  }

  private long nowMinute() {
    return Math.floorDiv(clock.millis(), 60_000L);
  }

  void finished(Exchange e) {
    if (!COUNTED.contains(e.route)) {
      return;
    }
    StatsMinute m = minute(nowMinute());
    boolean error = e.status >= 400;
    long tokens = Math.max(0, e.totalTokens);
    m.requests.increment();
    m.statusClasses[e.status >= 100 && e.status < 600 ? e.status / 100 : 0].increment();
    m.latencyMicros.add((e.endNanos - e.startNanos) / 1000);
    totalRequests.increment();
    if (error) {
      m.errors.increment();
      totalErrors.increment();
      String type = e.errorType.isEmpty() ? "http_" + e.status : e.errorType;
      LongAdder count = m.errorTypes.get(type);
      (count != null ? count : m.errorTypes.computeIfAbsent(type, t -> new LongAdder()))
          .increment();
    }
    if (tokens > 0) {
      m.tokens.add(tokens);
      totalTokens.add(tokens);
    }
  }

  void attempt(AttemptRecord a) {
    boolean error = a.outcome() != AttemptOutcome.OK;
    StatsMinute.Cell cell = minute(nowMinute()).key(a.provider().name(), a.keyId());
    cell.add(1, error ? 1 : 0, a.durationNanos() / 1000);
    if (a.status() == 429) {
      cell.tooManyRequests.increment();
    } else if (a.status() >= 400 && a.status() < 500) {
      cell.otherClientErrors.increment();
    }
  }

  void cooledDown(String provider, String keyId, long seconds, String reason) {
    Instant now = clock.instant();
    minute(nowMinute()).key(provider, keyId).cooldowns.increment();
    event(new CooldownEvent(provider, keyId, now.plusSeconds(seconds), reason, now));
  }

  private void event(CooldownEvent event) {
    cooldowns.addFirst(event);
    if (cooldownCount.incrementAndGet() > MAX_COOLDOWN_EVENTS && cooldowns.pollLast() != null) {
      cooldownCount.decrementAndGet();
    }
  }

  void streamOpened() {
    activeStreams.incrementAndGet();
  }

  void streamClosed() {
    activeStreams.decrementAndGet();
  }

  public int activeStreams() {
    return activeStreams.get();
  }

  /** Totals since the first start (restored from the snapshot file, if any). */
  public record Totals(long requests, long errors, long tokens) {}

  /** One minute of the series; {@code avgLatencyMs} is 0 without requests. */
  public record Point(
      Instant minute, long requests, long errors, long tokens, double avgLatencyMs) {}

  /**
   * Upstream attempts of a provider, or of one of its keys ({@code keyId} empty for a provider
   * row).
   */
  public record Usage(
      String provider, String keyId, long requests, long errors, double avgLatencyMs) {}

  /** What {@code GET /admin/stats} shows. */
  public record View(
      int windowMinutes,
      Instant from,
      Instant to,
      Totals totals,
      Totals allTime,
      List<Point> series,
      List<Usage> providers,
      List<Usage> keys,
      List<CooldownEvent> cooldowns,
      int activeStreams) {}

  /** The last {@code windowMinutes} minutes (1 to {@link #MINUTES}), including the current one. */
  public View view(int windowMinutes) {
    int window = Math.clamp(windowMinutes, 1, MINUTES);
    long now = nowMinute();
    List<Point> series = new ArrayList<>(window);
    Map<String, long[]> byProvider = new TreeMap<>();
    Map<StatsMinute.KeyRef, long[]> byKey =
        new TreeMap<>(
            Comparator.comparing(StatsMinute.KeyRef::provider)
                .thenComparing(StatsMinute.KeyRef::keyId));
    long requests = 0;
    long errors = 0;
    long tokens = 0;
    for (long minute = now - window + 1; minute <= now; minute++) {
      StatsMinute m = ring.get((int) Math.floorMod(minute, (long) MINUTES));
      Instant at = Instant.ofEpochMilli(minute * 60_000L);
      if (m == null || m.minute != minute) {
        series.add(new Point(at, 0, 0, 0, 0));
        continue;
      }
      long r = m.requests.sum();
      long e = m.errors.sum();
      long t = m.tokens.sum();
      series.add(new Point(at, r, e, t, r == 0 ? 0 : m.latencyMicros.sum() / 1000.0 / r));
      requests += r;
      errors += e;
      tokens += t;
      m.keys.forEach(
          (ref, cell) -> {
            long[] p = byProvider.computeIfAbsent(ref.provider(), k -> new long[3]);
            long[] k = byKey.computeIfAbsent(ref, x -> new long[3]);
            long cr = cell.requests.sum();
            long ce = cell.errors.sum();
            long cl = cell.latencyMicros.sum();
            p[0] += cr;
            p[1] += ce;
            p[2] += cl;
            k[0] += cr;
            k[1] += ce;
            k[2] += cl;
          });
    }
    List<Usage> providers = new ArrayList<>();
    byProvider.forEach((p, v) -> providers.add(usage(p, "", v)));
    List<Usage> keys = new ArrayList<>();
    byKey.forEach((ref, v) -> keys.add(usage(ref.provider(), ref.keyId(), v)));
    return new View(
        window,
        Instant.ofEpochMilli((now - window + 1) * 60_000L),
        clock.instant(),
        new Totals(requests, errors, tokens),
        allTime(),
        series,
        providers,
        keys,
        List.copyOf(cooldowns),
        activeStreams.get());
  }

  /** A name with a count, largest first in lists. */
  public record Count(String name, long count) {}

  /**
   * A provider key's upstream trouble in a window. {@code score} = 3 x 429s + 5 x cooldowns + other
   * 4xx answers: the console's key risk ranking (rate limits and cooldowns say a key is near its
   * quota; other 4xx may be a bad key).
   */
  public record KeyRisk(
      String provider,
      String keyId,
      long requests,
      long errors,
      long tooManyRequests,
      long otherClientErrors,
      long cooldowns,
      long score) {}

  /**
   * What {@code GET /admin/stats/breakdown} shows: client status classes, error types, key risk,
   * for a window.
   */
  public record Breakdown(
      int windowMinutes,
      Map<String, Long> statusClasses,
      List<Count> errorTypes,
      List<KeyRisk> keys) {}

  /**
   * Status classes, error types and key risk over the last {@code windowMinutes} minutes (since
   * this start).
   */
  public Breakdown breakdown(int windowMinutes) {
    int window = Math.clamp(windowMinutes, 1, MINUTES);
    long now = nowMinute();
    long[] classes = new long[6];
    Map<String, Long> types = new TreeMap<>();
    Map<StatsMinute.KeyRef, long[]> byKey =
        new TreeMap<>(
            Comparator.comparing(StatsMinute.KeyRef::provider)
                .thenComparing(StatsMinute.KeyRef::keyId));
    for (long minute = now - window + 1; minute <= now; minute++) {
      StatsMinute m = ring.get((int) Math.floorMod(minute, (long) MINUTES));
      if (m == null || m.minute != minute) {
        continue;
      }
      for (int i = 0; i < classes.length; i++) {
        classes[i] += m.statusClasses[i].sum();
      }
      m.errorTypes.forEach((t, n) -> types.merge(t, n.sum(), Long::sum));
      m.keys.forEach(
          (ref, c) -> {
            long[] k = byKey.computeIfAbsent(ref, x -> new long[5]);
            k[0] += c.requests.sum();
            k[1] += c.errors.sum();
            k[2] += c.tooManyRequests.sum();
            k[3] += c.otherClientErrors.sum();
            k[4] += c.cooldowns.sum();
          });
    }
    Map<String, Long> statusClasses = new LinkedHashMap<>();
    String[] names = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int i = 1; i <= 5; i++) {
      statusClasses.put(names[i], classes[i]);
    }
    if (classes[0] > 0) {
      statusClasses.put(names[0], classes[0]);
    }
    List<Count> errorTypes = new ArrayList<>();
    types.forEach((t, n) -> errorTypes.add(new Count(t, n)));
    errorTypes.sort(Comparator.comparingLong(Count::count).reversed().thenComparing(Count::name));
    List<KeyRisk> keys = new ArrayList<>();
    byKey.forEach(
        (ref, k) ->
            keys.add(
                new KeyRisk(
                    ref.provider(),
                    ref.keyId(),
                    k[0],
                    k[1],
                    k[2],
                    k[3],
                    k[4],
                    3 * k[2] + 5 * k[4] + k[3])));
    keys.sort(Comparator.comparingLong(KeyRisk::score).reversed());
    return new Breakdown(window, statusClasses, errorTypes, keys);
  }

  private static Usage usage(String provider, String keyId, long[] v) {
    return new Usage(provider, keyId, v[0], v[1], v[0] == 0 ? 0 : v[2] / 1000.0 / v[0]);
  }

  public Totals allTime() {
    return new Totals(totalRequests.sum(), totalErrors.sum(), totalTokens.sum());
  }

  // ---- persistence (see StatsFile) ----

  /**
   * One key's attempts in one saved minute (the last three are 0 in files written before the
   * console).
   */
  public record SavedCell(
      String provider,
      String keyId,
      long requests,
      long errors,
      long latencyMicros,
      long tooManyRequests,
      long otherClientErrors,
      long cooldowns) {}

  /**
   * One saved minute. {@code statusClasses} (index 0 other, 1 to 5 for 1xx to 5xx) and {@code
   * errorTypes} are null in files written before the console.
   */
  public record SavedMinute(
      long minute,
      long requests,
      long errors,
      long tokens,
      long latencyMicros,
      List<SavedCell> keys,
      List<Long> statusClasses,
      Map<String, Long> errorTypes) {}

  /** Everything {@link #restore} needs. */
  public record Saved(Totals totals, List<SavedMinute> minutes, List<CooldownEvent> cooldowns) {}

  /** A copy of the buckets still inside the 24 h ring, the totals and the cooldown events. */
  public Saved save() {
    long now = nowMinute();
    List<SavedMinute> minutes = new ArrayList<>();
    for (int i = 0; i < MINUTES; i++) {
      StatsMinute m = ring.get(i);
      if (m == null || m.minute <= now - MINUTES || m.minute > now) {
        continue;
      }
      List<SavedCell> cells = new ArrayList<>();
      m.keys.forEach(
          (ref, c) ->
              cells.add(
                  new SavedCell(
                      ref.provider(),
                      ref.keyId(),
                      c.requests.sum(),
                      c.errors.sum(),
                      c.latencyMicros.sum(),
                      c.tooManyRequests.sum(),
                      c.otherClientErrors.sum(),
                      c.cooldowns.sum())));
      List<Long> classes = Arrays.stream(m.statusClasses).map(LongAdder::sum).toList();
      Map<String, Long> types = new TreeMap<>();
      m.errorTypes.forEach((t, n) -> types.put(t, n.sum()));
      minutes.add(
          new SavedMinute(
              m.minute,
              m.requests.sum(),
              m.errors.sum(),
              m.tokens.sum(),
              m.latencyMicros.sum(),
              cells,
              classes,
              types));
    }
    minutes.sort(Comparator.comparingLong(SavedMinute::minute));
    return new Saved(allTime(), minutes, List.copyOf(cooldowns));
  }

  /** Adds saved counters (at start, before traffic); minutes older than 24 h are dropped. */
  public void restore(Saved saved) {
    long now = nowMinute();
    totalRequests.add(saved.totals().requests());
    totalErrors.add(saved.totals().errors());
    totalTokens.add(saved.totals().tokens());
    for (SavedMinute s : saved.minutes()) {
      if (s.minute() <= now - MINUTES || s.minute() > now) {
        continue;
      }
      StatsMinute m = minute(s.minute());
      m.requests.add(s.requests());
      m.errors.add(s.errors());
      m.tokens.add(s.tokens());
      m.latencyMicros.add(s.latencyMicros());
      for (SavedCell c : s.keys()) {
        StatsMinute.Cell cell = m.key(c.provider(), c.keyId());
        cell.add(c.requests(), c.errors(), c.latencyMicros());
        cell.tooManyRequests.add(c.tooManyRequests());
        cell.otherClientErrors.add(c.otherClientErrors());
        cell.cooldowns.add(c.cooldowns());
      }
      List<Long> classes = s.statusClasses() == null ? List.of() : s.statusClasses();
      for (int i = 0; i < Math.min(classes.size(), m.statusClasses.length); i++) {
        m.statusClasses[i].add(classes.get(i) == null ? 0 : classes.get(i));
      }
      if (s.errorTypes() != null) {
        s.errorTypes()
            .forEach(
                (t, n) ->
                    m.errorTypes.computeIfAbsent(t, x -> new LongAdder()).add(n == null ? 0 : n));
      }
    }
    List<CooldownEvent> events = new ArrayList<>(saved.cooldowns());
    for (Iterator<CooldownEvent> it = events.reversed().iterator(); it.hasNext(); ) {
      event(it.next()); // oldest first, so the newest ends up in front
    }
  }
}
