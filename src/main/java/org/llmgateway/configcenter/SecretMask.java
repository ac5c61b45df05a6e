package org.llmgateway.configcenter;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llmgateway.observe.Redact;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Hides the secrets written inline in a config file before the text goes to a browser, and puts
 * them back when an edited text comes back. Secrets are {@code providers.P.keys[i].value}, {@code
 * gateway_keys[i].key} and provider {@code headers} whose name or value looks secret ({@link
 * Redact}). Each is replaced, in the text, by the quoted {@link #MASK}; formatting and comments
 * stay as they were. On save, a {@link #MASK} at the same place (the same provider and key id,
 * gateway key id or header name) gets the stored value back, byte for byte. Pure and stateless.
 */
public final class SecretMask {
  /**
   * What a hidden secret reads as in the editor. Quoted in the text: a plain {@code *} would start
   * a YAML alias.
   */
  public static final String MASK = "***masked***";

  private static final String QUOTED_MASK = "\"" + MASK + "\"";

  /**
   * For a file that is not valid YAML: any {@code value:} or {@code key:} with something after it.
   */
  private static final Pattern LOOSE_SECRET =
      Pattern.compile(
          "(?m)^([ \\t-]*(?:\\{[^\\n]*?)?\\b(?:value|key)[ \\t]*:[ \\t]*)([^\\s#,}][^#\\n,}]*)");

  private SecretMask() {}

  /**
   * A secret's place in a file: which secret it is, its YAML path, its source span (char offsets)
   * and value.
   */
  record Spot(String identity, String yamlPath, int start, int end, String value) {}

  /** A masked text and how many values were hidden. */
  public record Masked(String text, int hidden) {}

  /**
   * A text with the masks replaced by the stored secrets, and the masks that match no stored
   * secret.
   */
  public record Unmasked(String text, List<String> problems) {}

  /** {@code text} with every inline secret replaced by the quoted {@link #MASK}. */
  public static Masked mask(String text) {
    Optional<List<Spot>> spots = spots(text);
    if (spots.isEmpty()) {
      return maskLoosely(text);
    }
    StringBuilder out = new StringBuilder(text);
    int hidden = 0;
    for (Spot s : descending(spots.get())) {
      if (!s.value().isEmpty() && !s.value().equals(MASK)) {
        out.replace(s.start(), s.end(), QUOTED_MASK);
        hidden++;
      }
    }
    return new Masked(out.toString(), hidden);
  }

  /**
   * {@code edited} with each {@link #MASK} value replaced by the source text of the same secret in
   * {@code stored} (the file on disk now). {@code file} names the file in problems.
   */
  public static Unmasked unmask(String edited, String stored, String file) {
    Optional<List<Spot>> editedSpots = spots(edited);
    if (editedSpots.isEmpty()) {
      return new Unmasked(edited, List.of()); // not YAML: validation reports it with its line
    }
    Map<String, Spot> known = new LinkedHashMap<>();
    spots(stored).orElse(List.of()).forEach(s -> known.putIfAbsent(s.identity(), s));
    StringBuilder out = new StringBuilder(edited);
    List<String> problems = new ArrayList<>();
    for (Spot s : descending(editedSpots.get())) {
      if (!s.value().equals(MASK)) {
        continue;
      }
      Spot original = known.get(s.identity());
      if (original == null || original.value().equals(MASK)) {
        problems.add(
            file
                + ": "
                + s.yamlPath()
                + ": the value is still masked but there is no stored secret for "
                + s.identity()
                + " (new or renamed); type the value, or use value_env");
      } else {
        out.replace(s.start(), s.end(), stored.substring(original.start(), original.end()));
      }
    }
    return new Unmasked(out.toString(), problems.reversed());
  }

  private static List<Spot> descending(List<Spot> spots) {
    List<Spot> sorted = new ArrayList<>(spots);
    sorted.sort(Comparator.comparingInt(Spot::start).reversed());
    return sorted;
  }

  private static Masked maskLoosely(String text) {
    Matcher m = LOOSE_SECRET.matcher(text);
    StringBuilder out = new StringBuilder();
    int hidden = 0;
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + QUOTED_MASK));
      hidden++;
    }
    m.appendTail(out);
    return new Masked(out.toString(), hidden);
  }

  /** The secrets of {@code text}, or empty when it is not YAML. */
  static Optional<List<Spot>> spots(String text) {
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(true);
      options.setCodePointLimit(8 * 1024 * 1024);
      root = new Yaml(options).compose(new StringReader(text));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    List<Spot> spots = new ArrayList<>();
    if (!(root instanceof MappingNode top)) {
      return Optional.of(spots);
    }
    Offsets offsets = new Offsets(text);
    Node providers = get(top, "providers");
    if (providers instanceof MappingNode ps) {
      for (NodeTuple p : ps.getValue()) {
        String name = scalar(p.getKeyNode()).orElse("?");
        if (!(p.getValueNode() instanceof MappingNode provider)) {
          continue;
        }
        if (get(provider, "keys") instanceof SequenceNode keys) {
          for (int i = 0; i < keys.getValue().size(); i++) {
            if (keys.getValue().get(i) instanceof MappingNode key
                && get(key, "value") instanceof ScalarNode v) {
              String id = scalar(get(key, "id")).map(k -> "id " + k).orElse("#" + i);
              spots.add(
                  spot(
                      "provider " + name + " key " + id,
                      "providers." + name + ".keys[" + i + "].value",
                      v,
                      offsets));
            }
          }
        }
        if (get(provider, "headers") instanceof MappingNode headers) {
          for (NodeTuple h : headers.getValue()) {
            String header = scalar(h.getKeyNode()).orElse("?");
            if (h.getValueNode() instanceof ScalarNode v
                && !Redact.headerValue(header, v.getValue()).equals(v.getValue())) {
              spots.add(
                  spot(
                      "provider " + name + " header " + header,
                      "providers." + name + ".headers." + header,
                      v,
                      offsets));
            }
          }
        }
      }
    }
    if (get(top, "gateway_keys") instanceof SequenceNode keys) {
      for (int i = 0; i < keys.getValue().size(); i++) {
        if (keys.getValue().get(i) instanceof MappingNode key
            && get(key, "key") instanceof ScalarNode v) {
          String id = scalar(get(key, "key_id")).map(k -> "key_id " + k).orElse("#" + i);
          spots.add(spot("gateway key " + id, "gateway_keys[" + i + "].key", v, offsets));
        }
      }
    }
    return Optional.of(spots);
  }

  private static Spot spot(String identity, String yamlPath, ScalarNode v, Offsets offsets) {
    int start = offsets.chars(v.getStartMark().getIndex());
    int end = offsets.chars(v.getEndMark().getIndex());
    while (end > start && Character.isWhitespace(offsets.text().charAt(end - 1))) {
      end--; // a block scalar's span takes its line break along; the break stays
    }
    return new Spot(identity, yamlPath, start, end, v.getValue());
  }

  private static Node get(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (scalar(t.getKeyNode()).filter(key::equals).isPresent()) {
        return t.getValueNode();
      }
    }
    return null;
  }

  private static Optional<String> scalar(Node node) {
    return node instanceof ScalarNode s ? Optional.of(s.getValue()) : Optional.empty();
  }

  /** SnakeYAML marks count code points; {@link StringBuilder} edits count chars. */
  private record Offsets(String text, int codePoints) {
    Offsets(String text) {
      this(text, text.codePointCount(0, text.length()));
    }

    int chars(int index) {
      int at = Math.min(index, codePoints);
      return codePoints == text.length() ? at : text.offsetByCodePoints(0, at);
    }
  }
}
