package org.llmgateway.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.llmgateway.config.ProviderKey;

/**
 * The ordered attempts of one request, extended lazily: each {@link #next()} yields the next usable key of the
 * current provider (round-robin, skipping cooling keys and keys this request already tried), and moves to the next
 * provider after {@link #after(Decision)} says so or when the provider has no usable key or an open circuit. Bounded by
 * {@code maxAttempts}. One instance per request; not thread-safe.
 */
public final class Plan {
  private final List<Route> routes;
  private final KeyPool keys;
  private final Circuits circuits;
  private final int maxAttempts;
  private final Set<String> triedKeys = new HashSet<>();
  private final List<String> skipped = new ArrayList<>(2);
  private int index;
  private boolean entered;
  private int attempts;

  public Plan(List<Route> routes, KeyPool keys, Circuits circuits, int maxAttempts) {
    this.routes = routes;
    this.keys = keys;
    this.circuits = circuits;
    this.maxAttempts = maxAttempts;
  }

  public Optional<Attempt> next() {
    while (attempts < maxAttempts && index < routes.size()) {
      Route route = routes.get(index);
      String name = route.provider().name();
      Optional<ProviderKey> key = keys.pick(name, route.provider().rotation(), triedKeys);
      if (key.isEmpty()) {
        if (!entered) {
          skipped.add(name + ": every key is cooling down");
        }
        moveOn();
        continue;
      }
      if (!entered) {
        if (!circuits.tryAcquire(name)) {
          skipped.add(name + ": circuit open after repeated failures");
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

  /** Applies the decision taken after the last attempt: {@link Decision#NEXT_PROVIDER} leaves the provider. */
  public void after(Decision decision) {
    if (decision == Decision.NEXT_PROVIDER) {
      moveOn();
    }
  }

  public int attempts() {
    return attempts;
  }

  /** Providers passed over without an attempt, with the reason. */
  public List<String> skipped() {
    return skipped;
  }

  private void moveOn() {
    index++;
    entered = false;
    triedKeys.clear();
  }
}
