package org.llmgateway.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.llmgateway.config.Dialect;
import org.llmgateway.config.Operation;
import org.llmgateway.config.Provider;
import org.llmgateway.upstream.Upstream;
import org.llmgateway.upstream.UpstreamRequest;
import org.llmgateway.upstream.UpstreamResponse;

/**
 * The dialect seam in front of an {@link Upstream}: a request the provider serves in the client's
 * own dialect passes through untouched (the body byte for byte, the stream event by event); any
 * other is translated on the way out and its answer (JSON, event stream or error) on the way back.
 * Stateless and thread-safe; the per-request state lives in the {@link Translation} made for each
 * attempt.
 */
public final class TranslatingUpstream implements Upstream {
  private final Upstream delegate;

  public TranslatingUpstream(Upstream delegate) {
    this.delegate = delegate;
  }

  @Override
  public UpstreamResponse send(UpstreamRequest request) throws IOException {
    Provider provider = request.attempt().route().provider();
    Operation target = provider.target(request.operation(), request.stream());
    Map<String, String> clientHeaders =
        target.dialect() == Dialect.ANTHROPIC ? request.clientHeaders() : Map.of();
    if (target == request.operation()) {
      return delegate.send(
          clientHeaders == request.clientHeaders()
              ? request
              : new UpstreamRequest(
                  request.operation(),
                  request.attempt(),
                  request.url(),
                  request.body(),
                  request.stream(),
                  request.requestId(),
                  request.timeout()));
    }
    Dialect client = request.operation().dialect();
    Translation translation = Translations.between(client, target.dialect());
    ObjectNode body = translation.request((ObjectNode) Jackson.MAPPER.readTree(request.body()));
    provider
        .requestDefaults()
        .forEach(
            (field, json) -> {
              if (!body.has(field)) {
                body.set(field, parseDefault(json));
              }
            });
    translation.complete(body);
    byte[] translated = Jackson.bytes(body);
    UpstreamResponse response =
        delegate.send(
            new UpstreamRequest(
                target,
                request.attempt(),
                request.url(),
                translated,
                request.stream(),
                request.requestId(),
                request.timeout(),
                clientHeaders));
    return new TranslatedResponse(response, translation, client, request.stream(), translated);
  }

  private static JsonNode parseDefault(byte[] json) {
    try {
      return Jackson.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("request_defaults were validated as JSON", e);
    }
  }
}
