package org.llmgateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.llmgateway.configcenter.ConfigCenter;
import org.llmgateway.configcenter.ConfigHistory;
import org.llmgateway.configcenter.SecretMask;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;
import org.llmgateway.http.Endpoint;
import org.llmgateway.observe.Exchange;
import org.llmgateway.observe.ViewJson;

/**
 * The config center's admin routes, under {@code /admin/config}:
 *
 * <pre>
 * GET  /admin/config                                      the editable files, their hashes, where history is kept
 * GET  /admin/config/files/{name}                         text (secrets masked) and hash
 * PUT  /admin/config/files/{name}                         {"text", "base_hash"}: validate all, write, reload
 * GET  /admin/config/files/{name}/versions                saved versions, newest first
 * GET  /admin/config/files/{name}/versions/{id}           one version's text (masked)
 * GET  /admin/config/files/{name}/versions/{id}/diff      unified diff from the version to the current file
 * POST /admin/config/files/{name}/versions/{id}/restore   {"base_hash"}: save that version again
 * </pre>
 *
 * A save answers 409 {@code edit_conflict} with {@code current_hash} when the file changed since
 * {@code base_hash}, 422 {@code invalid_config} with {@code errors} (file: YAML path: problem) when
 * the directory would not validate.
 */
final class ConfigRoutes {
  private static final int MAX_BODY = 4 * 1024 * 1024;

  private final ConfigCenter center;

  ConfigRoutes(ConfigCenter center) {
    this.center = center;
  }

  void handle(
      String path,
      AdminAccess.Caller caller,
      HttpServletRequest request,
      HttpServletResponse response,
      Exchange exchange)
      throws IOException {
    String[] p =
        path.split("/", -1); // "", "admin", "config", "files", name, "versions", id, action
    if (p.length == 3) {
      ((Endpoint) (rq, rs, ex) -> ex.sent(AdminEndpoint.write(rs, 200, overview())))
          .only("GET", "HEAD")
          .handle(request, response, exchange);
      return;
    }
    if (p.length < 5 || !p[3].equals("files") || !center.knows(p[4])) {
      throw new GatewayException(
          ErrorKind.NOT_FOUND,
          center.editable()
              ? "unknown config route: "
                  + path
                  + " (editable files: "
                  + String.join(", ", ConfigCenter.FILES)
                  + ")"
              : "the config center edits the files of GATEWAY_CONFIG_DIR; this gateway reads GATEWAY_CONFIG_FILE",
          "not_found");
    }
    String name = p[4];
    ConfigCenter.Operator who = new ConfigCenter.Operator(caller.operator(), caller.client());
    if (p.length == 5) {
      ((Endpoint)
              (rq, rs, ex) -> {
                if (rq.getMethod().equals("PUT")) {
                  JsonNode body = body(rq);
                  save(
                      rs,
                      ex,
                      () ->
                          center.save(
                              name, text(body, "text"), text(body, "base_hash"), who, "save"));
                } else {
                  ex.sent(AdminEndpoint.write(rs, 200, opened(center.open(name))));
                }
              })
          .only("GET", "HEAD", "PUT")
          .handle(request, response, exchange);
      return;
    }
    if (!p[5].equals("versions")) {
      throw new GatewayException(ErrorKind.NOT_FOUND, "unknown config route: " + path, "not_found");
    }
    if (p.length == 6) {
      ((Endpoint)
              (rq, rs, ex) ->
                  ex.sent(
                      AdminEndpoint.write(
                          rs, 200, Map.of("file", name, "versions", center.history().list(name)))))
          .only("GET", "HEAD")
          .handle(request, response, exchange);
      return;
    }
    ConfigHistory.Version v =
        center
            .history()
            .find(name, p[6])
            .orElseThrow(
                () ->
                    new GatewayException(
                        ErrorKind.NOT_FOUND, "no version " + p[6] + " of " + name, "not_found"));
    String action = p.length == 8 ? p[7] : "";
    switch (action) {
      case "" ->
          ((Endpoint)
                  (rq, rs, ex) -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("version", v);
                    out.put("text", center.history().text(v));
                    ex.sent(AdminEndpoint.write(rs, 200, out));
                  })
              .only("GET", "HEAD")
              .handle(request, response, exchange);
      case "diff" ->
          ((Endpoint)
                  (rq, rs, ex) -> {
                    List<String> diff = center.diff(name, v);
                    ex.sent(
                        AdminEndpoint.write(
                            rs,
                            200,
                            Map.of("version", v, "identical", diff.isEmpty(), "diff", diff)));
                  })
              .only("GET", "HEAD")
              .handle(request, response, exchange);
      case "restore" ->
          ((Endpoint)
                  (rq, rs, ex) -> {
                    JsonNode body = body(rq);
                    save(rs, ex, () -> center.restore(name, v, text(body, "base_hash"), who));
                  })
              .only("POST")
              .handle(request, response, exchange);
      default ->
          throw new GatewayException(
              ErrorKind.NOT_FOUND, "unknown config route: " + path, "not_found");
    }
  }

  private static Map<String, Object> opened(ConfigCenter.Opened o) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", o.name());
    out.put("exists", o.exists());
    out.put("hash", o.hash());
    out.put("size", o.size());
    out.put("modified", o.modified().map(Object::toString).orElse(null));
    out.put("masked_values", o.hidden());
    out.put("mask", SecretMask.MASK);
    out.put("text", o.text());
    return out;
  }

  private Map<String, Object> overview() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("editable", center.editable());
    out.put("directory", center.directory().toString());
    out.put("history_dir", center.history().dir().toAbsolutePath().toString());
    out.put("history_kept", ConfigHistory.KEEP);
    out.put(
        "files",
        center.editable()
            ? ConfigCenter.FILES.stream()
                .map(
                    f -> {
                      ConfigCenter.Opened o = center.open(f);
                      Map<String, Object> file = new LinkedHashMap<>();
                      file.put("name", f);
                      file.put("exists", o.exists());
                      file.put("hash", o.hash());
                      file.put("size", o.size());
                      file.put("modified", o.modified().map(Object::toString).orElse(null));
                      file.put("versions", center.history().list(f).size());
                      return file;
                    })
                .toList()
            : List.of());
    return out;
  }

  private interface SaveCall {
    ConfigCenter.Saved run();
  }

  private static void save(HttpServletResponse response, Exchange exchange, SaveCall call)
      throws IOException {
    try {
      ConfigCenter.Saved saved = call.run();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("saved", saved.changed());
      out.put("name", saved.name());
      out.put("hash", saved.hash());
      out.put("version", saved.version().orElse(null));
      out.put("reload", saved.reload());
      exchange.sent(AdminEndpoint.write(response, 200, out));
    } catch (ConfigCenter.Conflict e) {
      exchange.error("edit_conflict", e.getMessage());
      exchange.sent(
          AdminEndpoint.write(
              response,
              409,
              Map.of(
                  "error",
                  error(e.getMessage(), "edit_conflict"),
                  "current_hash",
                  e.currentHash())));
    } catch (ConfigCenter.Unwritable e) {
      exchange.error("config_not_writable", e.getMessage());
      Map<String, Object> error = error(e.getMessage(), "config_not_writable");
      error.put("type", "server_error");
      exchange.sent(AdminEndpoint.write(response, 500, Map.of("error", error)));
    } catch (ConfigCenter.Rejected e) {
      exchange.error("invalid_config", e.getMessage());
      exchange.sent(
          AdminEndpoint.write(
              response,
              422,
              Map.of(
                  "error",
                  error("configuration rejected: " + e.getMessage(), "invalid_config"),
                  "errors",
                  e.errors())));
    }
  }

  private static Map<String, Object> error(String message, String code) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("message", message);
    e.put("type", "invalid_request_error");
    e.put("code", code);
    return e;
  }

  private static JsonNode body(HttpServletRequest request) throws IOException {
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new GatewayException(
          ErrorKind.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }
    byte[] bytes = request.getInputStream().readNBytes(MAX_BODY + 1);
    if (bytes.length > MAX_BODY) {
      throw new GatewayException(
          ErrorKind.BODY_TOO_LARGE, "a config file may have at most " + MAX_BODY + " bytes");
    }
    try {
      JsonNode node = ViewJson.MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new GatewayException(ErrorKind.INVALID_REQUEST, "the body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new GatewayException(
          ErrorKind.INVALID_REQUEST, "invalid json body: " + e.getOriginalMessage());
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual()) {
      throw new GatewayException(
          ErrorKind.INVALID_REQUEST, "missing string field \"" + field + "\"");
    }
    return v.asText();
  }
}
