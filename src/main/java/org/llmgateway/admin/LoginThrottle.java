package org.llmgateway.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing the admin token through the console's login form: a client address with
 * {@link #MAX_FAILURES} failed logins within {@link #WINDOW} is refused (even with the right token)
 * until the oldest of them is older than the window. At most {@link #MAX_ADDRESSES} addresses are
 * tracked; the stalest is forgotten first. Thread-safe.
 */
final class LoginThrottle {
  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final int MAX_ADDRESSES = 10_000;

  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code address} must wait before trying again; zero when it may try now. */
  Duration wait(String address) {
    Deque<Instant> times = failures.get(address);
    if (times == null) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    synchronized (times) {
      prune(times, now);
      if (times.size() < MAX_FAILURES) {
        return Duration.ZERO;
      }
      return Duration.between(now, times.peekFirst().plus(WINDOW));
    }
  }

  void failed(String address) {
    Instant now = clock.instant();
    if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
      failures
          .entrySet()
          .removeIf(
              e -> {
                synchronized (e.getValue()) {
                  prune(e.getValue(), now);
                  return e.getValue().isEmpty();
                }
              });
      while (failures.size() >= MAX_ADDRESSES) {
        failures.entrySet().stream()
            .min(Comparator.comparing(e -> newest(e.getValue())))
            .ifPresent(e -> failures.remove(e.getKey()));
      }
    }
    Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
    synchronized (times) {
      prune(times, now);
      times.addLast(now);
      while (times.size() > MAX_FAILURES) {
        times.removeFirst();
      }
    }
  }

  void succeeded(String address) {
    failures.remove(address);
  }

  private static Instant newest(Deque<Instant> times) {
    synchronized (times) {
      return times.isEmpty() ? Instant.MIN : times.peekLast();
    }
  }

  private static void prune(Deque<Instant> times, Instant now) {
    Instant cutoff = now.minus(WINDOW);
    while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
      times.removeFirst();
    }
  }
}
