package org.llmgateway.observe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests being served right now, for the console's live view. A request is added when the
 * servlet starts it and removed when it finishes; adding and removing touch one bin of a {@link
 * ConcurrentHashMap}, so request threads do not wait for each other. The view reads the exchanges'
 * fields without synchronisation: a live view may be a moment old.
 */
public final class InFlight {
  private final Set<Exchange> open = ConcurrentHashMap.newKeySet();

  /** One request in flight, as the live view shows it; {@code elapsedMs} since it started. */
  public record Request(
      String requestId,
      String method,
      String path,
      String route,
      String model,
      String provider,
      String keyId,
      boolean stream,
      int attempts,
      long elapsedMs,
      String client,
      String tenant) {}

  void add(Exchange exchange) {
    open.add(exchange);
  }

  void remove(Exchange exchange) {
    open.remove(exchange);
  }

  /** How many requests are in flight, the admin API's own included. */
  public int size() {
    return open.size();
  }

  /** Up to {@code limit} requests, longest-running first, leaving out admin and console calls. */
  public List<Request> view(int limit) {
    long now = System.nanoTime();
    List<Exchange> all = new ArrayList<>(open);
    all.removeIf(e -> e.route.equals("admin") || e.path.startsWith("/admin"));
    all.sort(Comparator.comparingLong(e -> e.startNanos));
    List<Request> out = new ArrayList<>(Math.min(limit, all.size()));
    for (Exchange e : all.subList(0, Math.min(limit, all.size()))) {
      out.add(
          new Request(
              e.requestId,
              e.method,
              e.path,
              e.route,
              e.model.isEmpty() ? e.inputModel : e.model,
              e.provider,
              e.keyId,
              e.stream,
              e.attempts,
              (now - e.startNanos) / 1_000_000,
              e.clientAddress,
              e.tenantId));
    }
    return out;
  }
}
