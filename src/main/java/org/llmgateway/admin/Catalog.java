package org.llmgateway.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.llmgateway.config.GatewayConfig;
import org.llmgateway.config.GatewayKey;
import org.llmgateway.config.Model;
import org.llmgateway.config.Operation;
import org.llmgateway.config.Provider;
import org.llmgateway.config.ProviderKey;
import org.llmgateway.config.ProviderType;
import org.llmgateway.core.Gateway;
import org.llmgateway.core.Settings;
import org.llmgateway.observe.Redact;
import org.llmgateway.routing.Snapshot;

/**
 * {@code GET /admin/catalog}: the active configuration in the original llm-gateway-lite shape
 * ({@code runtime}, {@code summary}, {@code models}, {@code providers}, {@code gateway_keys}).
 * Built from names and ids only: key values and gateway keys are never read here, and
 * secret-looking header values are masked.
 */
final class Catalog {
  private Catalog() {}

  static Map<String, Object> of(Gateway gateway, Snapshot snapshot, AdminEndpoint.Runtime runtime) {
    GatewayConfig config = snapshot.config();
    Settings settings = gateway.settings();
    Instant now = gateway.clock().instant();
    Map<String, Object> rt = new LinkedHashMap<>();
    rt.put("version", runtime.version());
    rt.put("started_at", runtime.startedAt().toString());
    rt.put("uptime_s", Duration.between(runtime.startedAt(), now).toSeconds());
    rt.put("config_hash", config.hash());
    rt.put("config_loaded_at", snapshot.loadedAt().toString());
    rt.put(
        "config_dir",
        settings.configFile().orElse(settings.configDir()).toAbsolutePath().toString());
    rt.put("auth_enabled", settings.authEnabled());
    rt.put("expose_selection", settings.exposeSelection());
    rt.put("reload_interval_sec", settings.reloadIntervalSec());
    rt.put("key_cooldown_sec", settings.keyCooldownSec());

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("providers", config.providers().size());
    summary.put("models", config.models().size());
    summary.put("gateway_keys", config.gatewayKeys().size());

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("runtime", rt);
    out.put("summary", summary);
    out.put("models", config.models().values().stream().map(Catalog::model).toList());
    out.put(
        "providers", config.providers().values().stream().map(p -> provider(p, gateway)).toList());
    out.put("gateway_keys", config.gatewayKeys().stream().map(Catalog::gatewayKey).toList());
    return out;
  }

  private static Map<String, Object> model(Model m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", m.name());
    out.put("aliases", m.aliases());
    out.put("provider_map", m.providerMap());
    out.put("default_providers", m.defaultProviders());
    out.put(
        "allow_providers",
        m.allowProviders().map(a -> (Object) a.stream().sorted().toList()).orElse(null));
    return out;
  }

  private static Map<String, Object> provider(Provider p, Gateway gateway) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", p.name());
    out.put("type", p.type().configName());
    out.put("base_url", p.baseUrl().map(Object::toString).orElse(null));
    Map<String, String> endpoints = new TreeMap<>();
    for (Map.Entry<Operation, String> e : p.endpoints().entrySet()) {
      endpoints.put(e.getKey().configName(), e.getValue());
    }
    out.put("endpoints", endpoints);
    out.put("weight", p.weight());
    out.put("timeout_ms", p.timeout().toMillis());
    out.put("ssl_verify", p.sslVerify());
    out.put("auth", Map.of("mode", p.auth().mode(), "header", p.auth().header()));
    Map<String, String> headers = new TreeMap<>();
    p.headers().forEach((name, value) -> headers.put(name, Redact.headerValue(name, value)));
    out.put("headers", headers);
    out.put("request_defaults", p.requestDefaults().keySet().stream().sorted().toList());
    List<Map<String, String>> keys = new ArrayList<>();
    for (ProviderKey k : p.keys()) {
      keys.add(Map.of("id", k.id()));
    }
    out.put("keys", keys);
    if (p.type() != ProviderType.MOCK) {
      out.put("transport", TransportView.of(p, gateway.transportStats(p.name())));
    }
    return out;
  }

  private static Map<String, Object> gatewayKey(GatewayKey k) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key_id", k.keyId());
    out.put("tenant_id", k.tenantId());
    out.put("enabled", k.enabled());
    out.put("description", k.description());
    out.put(
        "allowed_models",
        k.allowedModels().map(a -> (Object) a.stream().sorted().toList()).orElse(null));
    out.put("rpm", k.rpm().isPresent() ? k.rpm().getAsLong() : null);
    out.put("tpm", k.tpm().isPresent() ? k.tpm().getAsLong() : null);
    return out;
  }
}
