package org.llmgateway.config;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One upstream provider, validated and immutable.
 *
 * @param requestDefaults top-level body fields the client left out, each already serialised as JSON
 *     bytes
 * @param timeout bounds connecting plus waiting for response headers, and the silence between two
 *     stream events
 * @param transport HTTP version, extra trusted CAs, egress proxy and connection bound
 */
public record Provider(
    String name,
    ProviderType type,
    Optional<URI> baseUrl,
    Map<Operation, String> endpoints,
    Auth auth,
    Map<String, String> headers,
    Map<String, byte[]> requestDefaults,
    List<ProviderKey> keys,
    int weight,
    Duration timeout,
    boolean sslVerify,
    MockOptions mock,
    ProviderTransport transport) {

  /** A provider with the default transport (direct, the JDK's trust store, HTTP version auto). */
  public Provider(
      String name,
      ProviderType type,
      Optional<URI> baseUrl,
      Map<Operation, String> endpoints,
      Auth auth,
      Map<String, String> headers,
      Map<String, byte[]> requestDefaults,
      List<ProviderKey> keys,
      int weight,
      Duration timeout,
      boolean sslVerify,
      MockOptions mock) {
    this(
        name,
        type,
        baseUrl,
        endpoints,
        auth,
        headers,
        requestDefaults,
        keys,
        weight,
        timeout,
        sslVerify,
        mock,
        ProviderTransport.DEFAULT);
  }

  /** Stands for the upstream model name in an endpoint path. */
  public static final String MODEL_PLACEHOLDER = "{model}";

  /**
   * Whether the provider serves {@code operation} natively, or (for a conversation) by translation.
   */
  public boolean serves(Operation operation) {
    return endpoints.containsKey(operation)
        || (operation.conversation() && endpoints.containsKey(conversation(false)));
  }

  /**
   * The operation actually sent for a client's {@code operation}: the same one when the provider
   * has an endpoint for it (no translation), else the provider's own conversation operation. Only
   * meaningful when {@link #serves} is true.
   */
  public Operation target(Operation operation, boolean stream) {
    return endpoints.containsKey(operation) ? operation : conversation(stream);
  }

  private Operation conversation(boolean stream) {
    return switch (type.dialect()) {
      case OPENAI -> Operation.CHAT_COMPLETIONS;
      case ANTHROPIC -> Operation.MESSAGES;
      case GEMINI -> stream ? Operation.STREAM_GENERATE_CONTENT : Operation.GENERATE_CONTENT;
    };
  }

  /**
   * The upstream URL of an operation whose endpoint may name the model as {@code {model}} (Gemini's
   * paths do).
   */
  public URI url(Operation operation, String model) {
    String path = endpoints.get(operation);
    if (path.contains(MODEL_PLACEHOLDER)) {
      path =
          path.replace(
              MODEL_PLACEHOLDER,
              URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return URI.create(base() + path);
  }

  /** Keys to rotate over; a provider that needs none has the one {@link ProviderKey#NONE}. */
  public List<ProviderKey> rotation() {
    return keys.isEmpty() ? List.of(ProviderKey.NONE) : keys;
  }

  /** The upstream URL of an operation: {@code base_url} + endpoint path. */
  public URI url(Operation operation) {
    return URI.create(base() + endpoints.get(operation));
  }

  private String base() {
    String base = baseUrl.map(URI::toString).orElse("mock:");
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  @Override
  public String toString() {
    return "Provider["
        + name
        + ", "
        + type
        + ", "
        + baseUrl.map(URI::toString).orElse("-")
        + ", keys="
        + keys.stream().map(ProviderKey::id).toList()
        + "]";
  }
}
