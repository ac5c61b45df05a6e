package org.llmgateway.routing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.llmgateway.config.ProviderKey;

/**
 * The ordered attempts of one request, extended lazily. Each {@link #next()} yields the next usable
 * key of the current provider (round-robin, skipping cooling keys and keys this request already
 * tried) and moves to the next provider after {@link #after(Decision)} says so or when the provider
 * has no usable key.
 *
 * <p>Protection only reorders: a provider whose circuit is open is not dropped but demoted to the
 * end, and tried (oldest opening first) once every other candidate of this request failed. A
 * provider passed over because all its keys were cooling can be visited again after a wait ({@link
 * #untilKeyReturns}, {@link #revisitCooling}). Bounded by {@code maxAttempts}. One instance per
 * request; not thread-safe.
 */
public final class Plan {
  private final KeyPool keys;
  private final Circuits circuits;
  private final int maxAttempts;
  private final ArrayDeque<Visit> queue = new ArrayDeque<>();
  private final List<Route> demoted = new ArrayList<>(1);
  private final List<Route> cooling = new ArrayList<>(1);
  private final Set<String> triedKeys = new HashSet<>();
  private Visit current;
  private boolean entered;
  private boolean lastResortQueued;
  private int attempts;

  /**
   * A provider to visit; {@code lastResort} visits skip the circuit check (the provider is demoted
   * already).
   */
  private record Visit(Route route, boolean lastResort) {}

  public Plan(List<Route> routes, KeyPool keys, Circuits circuits, int maxAttempts) {
    this.keys = keys;
    this.circuits = circuits;
    this.maxAttempts = maxAttempts;
    for (Route r : routes) {
      queue.add(new Visit(r, false));
    }
  }

  public Optional<Attempt> next() {
    while (attempts < maxAttempts) {
      if (current == null && !advance()) {
        return Optional.empty();
      }
      Route route = current.route();
      String name = route.provider().name();
      Optional<ProviderKey> key = keys.pick(name, route.provider().rotation(), triedKeys);
      if (key.isEmpty()) {
        if (keys.coolingEndsMillis(name, route.provider().rotation()) != Long.MAX_VALUE) {
          cooling.add(route);
        }
        moveOn();
        continue;
      }
      if (!entered) {
        if (!current.lastResort() && !circuits.tryAcquire(name)) {
          demoted.add(route);
          moveOn();
          continue;
        }
        entered = true;
      }
      triedKeys.add(key.get().id());
      return Optional.of(new Attempt(route, key.get(), ++attempts));
    }
    return Optional.empty();
  }

  /**
   * Applies the decision taken after the last attempt: {@link Decision#NEXT_PROVIDER} leaves the
   * provider.
   */
  public void after(Decision decision) {
    if (decision == Decision.NEXT_PROVIDER) {
      moveOn();
    }
  }

  /**
   * When {@link #next()} found nothing: how long until the first key of a provider passed over for
   * cooling keys comes back, if one will; empty when no provider was passed over for that reason or
   * the attempts are used up.
   */
  public Optional<Duration> untilKeyReturns() {
    if (attempts >= maxAttempts || cooling.isEmpty()) {
      return Optional.empty();
    }
    long earliest = Long.MAX_VALUE;
    for (Route r : cooling) {
      earliest =
          Math.min(earliest, keys.coolingEndsMillis(r.provider().name(), r.provider().rotation()));
    }
    // MAX_VALUE: their cooldowns ended since they were passed over, so they can be visited at once
    long now = keys.clock().millis();
    return Optional.of(
        earliest == Long.MAX_VALUE
            ? Duration.ZERO
            : Duration.ofMillis(Math.max(0, earliest - now)));
  }

  /**
   * Queues again the providers passed over for cooling keys, in the order they were met (after a
   * wait).
   */
  public void revisitCooling() {
    for (Route r : cooling) {
      queue.add(new Visit(r, circuits.state(r.provider().name()) != Circuits.State.CLOSED));
    }
    cooling.clear();
    // a revisited provider whose circuit opens meanwhile is demoted again, and must still get its
    // last-resort turn
    lastResortQueued = false;
  }

  public int attempts() {
    return attempts;
  }

  /** Providers passed over without a usable key, with the reason; for the 503 message. */
  public List<String> skipped() {
    List<String> out = new ArrayList<>(cooling.size());
    for (Route r : cooling) {
      out.add(r.provider().name() + ": every key is cooling down");
    }
    return out;
  }

  /**
   * Takes the next provider to visit: the queue, then (once) the demoted providers, oldest opening
   * first.
   */
  private boolean advance() {
    if (queue.isEmpty() && !demoted.isEmpty() && !lastResortQueued) {
      lastResortQueued = true;
      demoted.sort(Comparator.comparingLong(r -> circuits.openedAtMillis(r.provider().name())));
      for (Route r : demoted) {
        queue.add(new Visit(r, true));
      }
      demoted.clear();
    }
    current = queue.poll();
    return current != null;
  }

  private void moveOn() {
    current = null;
    entered = false;
    triedKeys.clear();
  }
}
