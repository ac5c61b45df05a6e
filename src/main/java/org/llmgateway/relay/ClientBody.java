package org.llmgateway.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;

/**
 * A client's JSON body, parsed once with a streaming parser (no tree): the routing fields and the
 * byte positions a rewrite needs. Everything else stays as the client's bytes, so unknown fields,
 * empty arrays and objects, big and precise numbers and unicode reach the upstream exactly as sent.
 * Immutable; the bytes are the request's own buffer, never copied and never written.
 */
public final class ClientBody {
  /** Bytes {@code [start, end)} of the body. */
  public record Span(int start, int end) {
    int length() {
      return end - start;
    }
  }

  private final byte[] bytes;
  private final int length;
  private final String model;
  private final Optional<String> provider;
  private final boolean stream;
  private final Span modelValue;
  private final Optional<Span> providerCut;
  private final int objectEnd;
  private final List<String> fields;
  private final boolean messagesMalformed;

  private ClientBody(
      byte[] bytes,
      int length,
      String model,
      Optional<String> provider,
      boolean stream,
      Span modelValue,
      Optional<Span> providerCut,
      int objectEnd,
      List<String> fields,
      boolean messagesMalformed) {
    this.bytes = bytes;
    this.length = length;
    this.model = model;
    this.provider = provider;
    this.stream = stream;
    this.modelValue = modelValue;
    this.providerCut = providerCut;
    this.objectEnd = objectEnd;
    this.fields = List.copyOf(fields);
    this.messagesMalformed = messagesMalformed;
  }

  /**
   * Whether the body has a {@code messages} field that is not an array (a body without one passes:
   * the provider says what it needs).
   */
  public boolean messagesMalformed() {
    return messagesMalformed;
  }

  /** The client's buffer; the body is its first {@link #length()} bytes. */
  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return length;
  }

  public String model() {
    return model;
  }

  /** The routing field {@code provider}, when the client named one. */
  public Optional<String> provider() {
    return provider;
  }

  public boolean stream() {
    return stream;
  }

  /** The {@code model} value, quotes included. */
  public Span modelValue() {
    return modelValue;
  }

  /** What to cut to remove the {@code provider} field with one adjacent comma. */
  public Optional<Span> providerCut() {
    return providerCut;
  }

  /** Position of the top-level closing brace. */
  public int objectEnd() {
    return objectEnd;
  }

  /** Top-level field names, in order. */
  public List<String> fields() {
    return fields;
  }

  // the default thread-local buffer recycling does nothing for one-shot virtual threads: share a
  // pool instead
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(1000)
                  .maxNumberLength(100_000)
                  .maxStringLength(64 * 1024 * 1024)
                  .build())
          .build();

  /**
   * Parses {@code bytes[0..length)}; throws a 400 {@link GatewayException} with the original's
   * messages.
   */
  public static ClientBody parse(byte[] bytes, int length) {
    if (length == 0 || isBlank(bytes, length)) {
      throw new GatewayException(ErrorKind.INVALID_REQUEST, "missing request body");
    }
    String model = null;
    boolean modelSeen = false;
    String provider = null;
    boolean stream = false;
    int modelStart = -1;
    int modelEnd = -1;
    Span providerSpan = null;
    int objectEnd;
    boolean messagesMalformed = false;
    List<String> fields = new ArrayList<>(8);
    try (JsonParser p = JSON.createParser(bytes, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new GatewayException(
            ErrorKind.INVALID_REQUEST, "invalid json body: the body must be a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int nameStart = (int) p.currentTokenLocation().getByteOffset();
        JsonToken v = p.nextToken();
        int valueStart = (int) p.currentTokenLocation().getByteOffset();
        if (fields.contains(name)
            && (name.equals("model") || name.equals("provider") || name.equals("stream"))) {
          throw new GatewayException(
              ErrorKind.INVALID_REQUEST, "invalid json body: duplicate field \"" + name + "\"");
        }
        fields.add(name);
        switch (name) {
          case "model" -> {
            modelSeen = true;
            if (v == JsonToken.VALUE_STRING) {
              model = p.getText();
              modelStart = valueStart;
              modelEnd = (int) p.currentLocation().getByteOffset();
            } else {
              p.skipChildren();
            }
          }
          case "provider" -> {
            if (v == JsonToken.VALUE_STRING) {
              provider = p.getText();
            } else {
              p.skipChildren();
            }
            providerSpan = new Span(nameStart, (int) p.currentLocation().getByteOffset());
          }
          case "stream" -> stream = v == JsonToken.VALUE_TRUE;
          case "messages" -> {
            messagesMalformed = v != JsonToken.START_ARRAY;
            p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new GatewayException(ErrorKind.INVALID_REQUEST, "invalid json body: unexpected " + t);
      }
      objectEnd = (int) p.currentTokenLocation().getByteOffset();
      if (p.nextToken() != null) {
        throw new GatewayException(
            ErrorKind.INVALID_REQUEST, "invalid json body: trailing content after the object");
      }
    } catch (IOException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      int at = msg.indexOf("\n at [");
      throw new GatewayException(
          ErrorKind.INVALID_REQUEST, "invalid json body: " + (at > 0 ? msg.substring(0, at) : msg));
    }
    if (!modelSeen || model == null || model.isBlank()) {
      throw new GatewayException(ErrorKind.INVALID_REQUEST, "missing model", "missing_model");
    }
    Optional<Span> cut =
        Optional.ofNullable(providerSpan).map(span -> widenToComma(bytes, span, objectEnd));
    return new ClientBody(
        bytes,
        length,
        model,
        Optional.ofNullable(provider).filter(s -> !s.isBlank()),
        stream,
        new Span(modelStart, modelEnd),
        cut,
        objectEnd,
        fields,
        messagesMalformed);
  }

  /**
   * Extends a field's span over the comma that separates it from a neighbour, so the rest stays
   * valid JSON.
   */
  private static Span widenToComma(byte[] b, Span field, int objectEnd) {
    int start = field.start();
    int end = field.end();
    int after = end;
    while (after < objectEnd && isSpace(b[after])) {
      after++;
    }
    if (after < objectEnd && b[after] == ',') {
      return new Span(start, after + 1);
    }
    int before = start - 1;
    while (before > 0 && isSpace(b[before])) {
      before--;
    }
    return b[before] == ',' ? new Span(before, end) : new Span(start, end);
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static boolean isBlank(byte[] b, int length) {
    for (int i = 0; i < length; i++) {
      if (!isSpace(b[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "ClientBody[model="
        + model
        + ", provider="
        + provider
        + ", stream="
        + stream
        + ", bytes="
        + length
        + "]";
  }
}
