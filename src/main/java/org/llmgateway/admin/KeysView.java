package org.llmgateway.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.llmgateway.config.Provider;
import org.llmgateway.config.ProviderKey;
import org.llmgateway.core.Gateway;
import org.llmgateway.routing.Circuits;
import org.llmgateway.routing.KeyState;
import org.llmgateway.routing.Snapshot;

/**
 * {@code GET /admin/keys}: per provider of the active configuration, its circuit state (with why it
 * opened and the failure rate) and each key's state from the key pool (ok or cooling, until when
 * and why, last error, counters). Key ids only.
 */
final class KeysView {
  private KeysView() {}

  static Map<String, Object> of(Gateway gateway, Snapshot snapshot) {
    List<Map<String, Object>> providers = new ArrayList<>();
    for (Provider p : snapshot.config().providers().values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("provider", p.name());
      Circuits.View circuit = gateway.circuits().view(p.name());
      row.put("circuit", circuit.state().name().toLowerCase(Locale.ROOT));
      row.put("breaker", breaker(circuit));
      List<Map<String, Object>> keys = new ArrayList<>();
      for (ProviderKey k : p.rotation()) {
        keys.add(key(k.id(), gateway.keys().view(p.name(), k.id())));
      }
      row.put("keys", keys);
      providers.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("now", gateway.clock().instant().toString());
    out.put("providers", providers);
    return out;
  }

  static Map<String, Object> breaker(Circuits.View v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("reason", v.reason().isEmpty() ? null : v.reason());
    out.put("failure_rate", v.failureRatePercent() / 100.0);
    out.put("window_attempts", v.windowAttempts());
    out.put("opened_at", v.openedAt().map(Instant::toString).orElse(null));
    out.put("open_until", v.openUntil().map(Instant::toString).orElse(null));
    out.put("opens", v.opens());
    return out;
  }

  static Map<String, Object> key(String id, KeyState.View v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key_id", id);
    out.put("state", v.cooling() ? "cooling" : "ok");
    out.put("cooling_until", v.coolingUntil().map(Instant::toString).orElse(null));
    out.put("reason", v.reason().isEmpty() ? null : v.reason());
    out.put("last_error", v.lastError().isEmpty() ? null : v.lastError());
    out.put("last_error_at", v.lastErrorAt().map(Instant::toString).orElse(null));
    out.put("successes", v.successes());
    out.put("failures", v.failures());
    out.put("cooldowns", v.cooldowns());
    return out;
  }
}
