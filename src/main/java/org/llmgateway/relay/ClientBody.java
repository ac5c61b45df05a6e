package org.llmgateway.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;

/**
 * A client's JSON body, parsed once with a streaming parser (no tree): the routing fields and the byte positions a
 * rewrite needs. Everything else stays as the client's bytes, so unknown fields, empty arrays and objects, big and
 * precise numbers and unicode reach the upstream exactly as sent.
 *
 * @param modelStart first byte of the {@code model} value (its opening quote)
 * @param modelEnd one past the last byte of the {@code model} value
 * @param providerCut bytes to cut to remove the {@code provider} field with one adjacent comma, or {@code null}
 * @param objectEnd position of the top-level closing brace
 * @param fields top-level field names, in order
 */
public record ClientBody(byte[] bytes, int length, String model, Optional<String> provider, boolean stream,
    int modelStart, int modelEnd, int[] providerCut, int objectEnd, List<String> fields) {

  // the default thread-local buffer recycling does nothing for one-shot virtual threads: share a pool instead
  private static final JsonFactory JSON = JsonFactory.builder()
      .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool())
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(1000).maxNumberLength(100_000)
          .maxStringLength(64 * 1024 * 1024).build())
      .build();

  /** Parses {@code bytes[0..length)}; throws a 400 {@link GatewayException} with the original's messages. */
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
    int[] providerSpan = null;
    int objectEnd;
    List<String> fields = new ArrayList<>(8);
    try (JsonParser p = JSON.createParser(bytes, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new GatewayException(ErrorKind.INVALID_REQUEST, "invalid json body: the body must be a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int nameStart = (int) p.currentTokenLocation().getByteOffset();
        JsonToken v = p.nextToken();
        int valueStart = (int) p.currentTokenLocation().getByteOffset();
        if (fields.contains(name) && (name.equals("model") || name.equals("provider") || name.equals("stream"))) {
          throw new GatewayException(ErrorKind.INVALID_REQUEST, "invalid json body: duplicate field \"" + name + "\"");
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
            providerSpan = new int[] {nameStart, (int) p.currentLocation().getByteOffset()};
          }
          case "stream" -> stream = v == JsonToken.VALUE_TRUE;
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new GatewayException(ErrorKind.INVALID_REQUEST, "invalid json body: unexpected " + t);
      }
      objectEnd = (int) p.currentTokenLocation().getByteOffset();
      if (p.nextToken() != null) {
        throw new GatewayException(ErrorKind.INVALID_REQUEST, "invalid json body: trailing content after the object");
      }
    } catch (IOException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      int at = msg.indexOf("\n at [");
      throw new GatewayException(ErrorKind.INVALID_REQUEST, "invalid json body: " + (at > 0 ? msg.substring(0, at) : msg));
    }
    if (!modelSeen || model == null || model.isBlank()) {
      throw new GatewayException(ErrorKind.INVALID_REQUEST, "missing model", "missing_model");
    }
    int[] cut = providerSpan == null ? null : widenToComma(bytes, providerSpan[0], providerSpan[1], objectEnd);
    return new ClientBody(bytes, length, model, Optional.ofNullable(provider).filter(s -> !s.isBlank()), stream,
        modelStart, modelEnd, cut, objectEnd, fields);
  }

  /** Extends a field's span over the comma that separates it from a neighbour, so the rest stays valid JSON. */
  private static int[] widenToComma(byte[] b, int start, int end, int objectEnd) {
    int after = end;
    while (after < objectEnd && isSpace(b[after])) {
      after++;
    }
    if (after < objectEnd && b[after] == ',') {
      return new int[] {start, after + 1};
    }
    int before = start - 1;
    while (before > 0 && isSpace(b[before])) {
      before--;
    }
    return b[before] == ',' ? new int[] {before, end} : new int[] {start, end};
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
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "ClientBody[model=" + model + ", provider=" + provider + ", stream=" + stream + ", bytes=" + length + "]";
  }
}
