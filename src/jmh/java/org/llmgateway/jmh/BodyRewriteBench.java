package org.llmgateway.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.llmgateway.relay.BodyRewrite;
import org.llmgateway.relay.ClientBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request-body path of every attempt: {@link ClientBody#parse} (one streaming pass, no tree)
 * plus {@link BodyRewrite#rewrite} (byte splice: model renamed, {@code provider} field cut),
 * against the Jackson tree round trip the design avoids (readTree, set model, remove provider,
 * writeValueAsBytes). {@code small} is a ~300 B chat body; {@code large} a ~1 MiB one: 200 messages
 * of ~5 KiB each with escapes and non-ASCII text.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BodyRewriteBench {
  private static final String UPSTREAM_MODEL = "gpt-4o-mini-2024-07-18";

  @Param({"small", "large"})
  public String size;

  private byte[] body;
  private ClientBody parsed;
  private final ObjectMapper mapper = new ObjectMapper();

  @Setup
  public void setup() throws IOException {
    body = size.equals("small") ? smallBody() : largeBody(mapper, 1 << 20);
    parsed = ClientBody.parse(body, body.length);
    // the splice and the tree must agree, or the comparison is meaningless
    if (!mapper
        .readTree(BodyRewrite.rewrite(parsed, UPSTREAM_MODEL, Map.of()))
        .equals(mapper.readTree(jacksonTree()))) {
      throw new IllegalStateException("rewrite and tree round trip disagree");
    }
  }

  /** Parse only: what every request pays once. */
  @Benchmark
  public ClientBody parse() {
    return ClientBody.parse(body, body.length);
  }

  /** Rewrite only, of an already parsed body: what each further attempt pays. */
  @Benchmark
  public byte[] rewrite() {
    return BodyRewrite.rewrite(parsed, UPSTREAM_MODEL, Map.of());
  }

  /** The gateway's path for one attempt: parse then rewrite. */
  @Benchmark
  public byte[] parseAndRewrite() {
    ClientBody b = ClientBody.parse(body, body.length);
    return BodyRewrite.rewrite(b, UPSTREAM_MODEL, Map.of());
  }

  /** Baseline: the tree round trip. */
  @Benchmark
  public byte[] jacksonTree() throws IOException {
    ObjectNode root = (ObjectNode) mapper.readTree(body);
    root.put("model", UPSTREAM_MODEL);
    root.remove("provider");
    return mapper.writeValueAsBytes(root);
  }

  static byte[] smallBody() {
    String s =
        """
        {"model":"gpt-4o-mini","provider":"openai","messages":[{"role":"system","content":"You are a helpful \
        assistant. Answer briefly."},{"role":"user","content":"What is the capital of France, and why is it \
        famous? Reply in one sentence."}],"temperature":0.7,"max_tokens":256,"stream":false,"user":"u-1234"}""";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A chat body of about {@code target} bytes: long contents with quotes, newlines, accents, CJK
   * and emoji.
   */
  static byte[] largeBody(ObjectMapper mapper, int target) throws IOException {
    String unit =
        "The quick brown fox said \"héllo wörld\" — naïve café, 東京で日本語のテキスト, Ελληνικά, "
            + "emoji 🚀🙂, tab\tand newline\n; numbers 3.14159 and 2.71828. ";
    StringBuilder content = new StringBuilder();
    while (content.length() < 5_000) {
      content.append(unit);
    }
    ObjectNode root = mapper.createObjectNode();
    root.put("model", "gpt-4o-mini");
    root.put("provider", "openai");
    ArrayNode messages = root.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are a helpful assistant.");
    int i = 0;
    while (mapper.writeValueAsBytes(root).length < target) {
      messages
          .addObject()
          .put("role", i++ % 2 == 0 ? "user" : "assistant")
          .put("content", i + ": " + content);
    }
    root.put("temperature", 0.7);
    root.put("max_tokens", 4096);
    root.put("stream", false);
    root.putObject("metadata").put("trace", "abc").putArray("tags").add("bench").add("jmh");
    byte[] out = mapper.writeValueAsBytes(root);
    return Arrays.copyOf(out, out.length);
  }
}
