package org.llmgateway.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.llmgateway.config.Model;
import org.llmgateway.config.Operation;
import org.llmgateway.config.Provider;

/**
 * Orders the providers that may serve a request: the client's {@code provider} field (if allowed),
 * then the model's default providers in strict priority, then the other allowed providers in
 * weighted-random order (sampling without replacement, so weights 7 and 3 put the first one first
 * ~70% of the time). Providers whose {@code endpoints} lack the operation are left out. Stateless
 * apart from the random source.
 */
public final class Router {
  private final RandomGenerator random;

  public Router(RandomGenerator random) {
    this.random = random;
  }

  public List<Route> routes(
      Snapshot snapshot, Model model, Operation operation, Optional<String> requestedProvider) {
    Set<String> order = new LinkedHashSet<>();
    requestedProvider.filter(p -> usable(snapshot, model, operation, p)).ifPresent(order::add);
    for (String p : model.defaultProviders()) {
      if (usable(snapshot, model, operation, p)) {
        order.add(p);
      }
    }
    List<Provider> rest = new ArrayList<>();
    for (String p : model.providerMap().keySet()) {
      if (!order.contains(p) && usable(snapshot, model, operation, p)) {
        rest.add(snapshot.config().providers().get(p));
      }
    }
    for (Provider p : weightedOrder(rest)) {
      order.add(p.name());
    }
    List<Route> routes = new ArrayList<>(order.size());
    for (String p : order) {
      routes.add(new Route(snapshot.config().providers().get(p), model.providerMap().get(p)));
    }
    return routes;
  }

  private static boolean usable(
      Snapshot snapshot, Model model, Operation operation, String provider) {
    Provider p = snapshot.config().providers().get(provider);
    return p != null && model.allows(provider) && p.serves(operation);
  }

  /** Weighted sampling without replacement; weight-0 providers come last, in random order. */
  List<Provider> weightedOrder(List<Provider> providers) {
    List<Provider> pool = new ArrayList<>(providers);
    List<Provider> out = new ArrayList<>(pool.size());
    while (!pool.isEmpty()) {
      long total = 0;
      for (Provider p : pool) {
        total += p.weight();
      }
      int pick;
      if (total == 0) {
        pick = random.nextInt(pool.size());
      } else {
        long r = random.nextLong(total);
        pick = 0;
        while (r >= pool.get(pick).weight()) {
          r -= pool.get(pick).weight();
          pick++;
        }
      }
      out.add(pool.remove(pick));
    }
    return out;
  }
}
