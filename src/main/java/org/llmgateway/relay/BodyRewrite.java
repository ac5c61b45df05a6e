package org.llmgateway.relay;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Produces the upstream body from a {@link ClientBody} by splicing bytes: {@code model} becomes the
 * provider's model name, the routing field {@code provider} is cut, and the provider's {@code
 * request_defaults} are appended for fields the client left out. One allocation of the exact size;
 * when nothing changes, the client's bytes are reused.
 */
public final class BodyRewrite {
  private BodyRewrite() {}

  public static byte[] rewrite(
      ClientBody body, String upstreamModel, Map<String, byte[]> defaults) {
    byte[] model = body.model().equals(upstreamModel) ? null : quote(upstreamModel);
    byte[] extra = defaults.isEmpty() ? null : missingDefaults(body, defaults);
    ClientBody.Span cut = body.providerCut().orElse(null);
    if (model == null && extra == null && cut == null) {
      return body.length() == body.bytes().length
          ? body.bytes()
          : Arrays.copyOf(body.bytes(), body.length());
    }
    byte[] src = body.bytes();
    int size = body.length();
    if (model != null) {
      size += model.length - body.modelValue().length();
    }
    if (cut != null) {
      size -= cut.length();
    }
    if (extra != null) {
      size += extra.length;
    }
    byte[] out = new byte[size];
    int o = 0;
    int pos = 0;
    // three edits at known positions, applied in byte order
    int modelAt = model == null ? Integer.MAX_VALUE : body.modelValue().start();
    int cutAt = cut == null ? Integer.MAX_VALUE : cut.start();
    for (int edit = 0; edit < 2; edit++) {
      if (modelAt < cutAt) {
        System.arraycopy(src, pos, out, o, modelAt - pos);
        o += modelAt - pos;
        System.arraycopy(model, 0, out, o, model.length);
        o += model.length;
        pos = body.modelValue().end();
        modelAt = Integer.MAX_VALUE;
      } else if (cutAt != Integer.MAX_VALUE) {
        System.arraycopy(src, pos, out, o, cutAt - pos);
        o += cutAt - pos;
        pos = cut.end();
        cutAt = Integer.MAX_VALUE;
      }
    }
    int end = body.objectEnd();
    System.arraycopy(src, pos, out, o, end - pos);
    o += end - pos;
    if (extra != null) {
      System.arraycopy(extra, 0, out, o, extra.length);
      o += extra.length;
    }
    System.arraycopy(src, end, out, o, body.length() - end);
    return out;
  }

  private static byte[] missingDefaults(ClientBody body, Map<String, byte[]> defaults) {
    ByteArrayOutputStream out = null;
    for (Map.Entry<String, byte[]> d : defaults.entrySet()) {
      if (!body.fields().contains(d.getKey())) {
        if (out == null) {
          out = new ByteArrayOutputStream(64);
        }
        out.write(',');
        out.writeBytes(quote(d.getKey()));
        out.write(':');
        out.writeBytes(d.getValue());
      }
    }
    return out == null ? null : out.toByteArray();
  }

  static byte[] quote(String s) {
    byte[] inner = JsonStringEncoder.getInstance().quoteAsUTF8(s);
    byte[] out = new byte[inner.length + 2];
    out[0] = '"';
    System.arraycopy(inner, 0, out, 1, inner.length);
    out[out.length - 1] = '"';
    return out;
  }
}
