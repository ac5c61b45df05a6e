package org.llmgateway.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4: {@code # HELP} and {@code # TYPE}
 * lines, samples with optional labels (escaped values: backslash, double quote, newline), float
 * values ({@code NaN}, {@code +Inf}, {@code -Inf}) and optional timestamps. It rejects what
 * Prometheus would reject: bad names, unterminated or badly escaped label values, duplicate label
 * names, duplicate series, a TYPE after its family's samples or twice, a family whose samples are
 * not contiguous, and sample names that do not fit their family's type.
 */
public final class PromText {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public String label(String name) {
      return labels.get(name);
    }
  }

  private final Map<String, String> types = new LinkedHashMap<>();
  private final Map<String, String> help = new LinkedHashMap<>();
  private final List<Sample> samples = new ArrayList<>();

  private PromText() {}

  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} naming the line on the first
   * violation.
   */
  public static PromText parse(String text) {
    PromText p = new PromText();
    Set<String> series = new HashSet<>();
    Set<String> closedFamilies = new HashSet<>();
    String currentFamily = null;
    String[] lines = text.split("\n", -1);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition must end with a newline");
    }
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int n = i + 1;
      if (line.isEmpty()) {
        continue;
      }
      try {
        if (line.startsWith("#")) {
          String[] parts = line.split(" ", 4);
          if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            String name = parts[2];
            if (!METRIC_NAME.matcher(name).matches()) {
              throw new IllegalArgumentException("bad metric name " + name);
            }
            if (parts[1].equals("TYPE")) {
              String type = parts.length == 4 ? parts[3] : "";
              if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("unknown type " + type);
              }
              if (p.types.containsKey(name)) {
                throw new IllegalArgumentException("second TYPE for " + name);
              }
              if (closedFamilies.contains(name)
                  || p.samples.stream().anyMatch(s -> family(s.name(), p.types).equals(name))) {
                throw new IllegalArgumentException("TYPE for " + name + " after its samples");
              }
              p.types.put(name, type);
            } else {
              if (p.help.containsKey(name)) {
                throw new IllegalArgumentException("second HELP for " + name);
              }
              p.help.put(name, parts.length == 4 ? unescapeHelp(parts[3]) : "");
            }
          }
          continue;
        }
        Sample s = sample(line);
        String family = family(s.name(), p.types);
        String type = p.types.getOrDefault(family, "untyped");
        checkSuffix(s, family, type);
        if (!family.equals(currentFamily)) {
          if (currentFamily != null) {
            closedFamilies.add(currentFamily);
          }
          if (closedFamilies.contains(family)) {
            throw new IllegalArgumentException("samples of " + family + " are not contiguous");
          }
          currentFamily = family;
        }
        if (!series.add(s.name() + new TreeMap<>(s.labels()))) {
          throw new IllegalArgumentException("duplicate series " + s.name() + s.labels());
        }
        p.samples.add(s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + n + ": " + e.getMessage() + ": " + line, e);
      }
    }
    return p;
  }

  private static String family(String sampleName, Map<String, String> types) {
    if (types.containsKey(sampleName)) {
      return sampleName;
    }
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (sampleName.endsWith(suffix)) {
        String base = sampleName.substring(0, sampleName.length() - suffix.length());
        String t = types.get(base);
        if ("histogram".equals(t) || "summary".equals(t) && !suffix.equals("_bucket")) {
          return base;
        }
      }
    }
    return sampleName;
  }

  private static void checkSuffix(Sample s, String family, String type) {
    switch (type) {
      case "histogram" -> {
        if (s.name().equals(family + "_bucket")) {
          if (!s.labels().containsKey("le")) {
            throw new IllegalArgumentException("histogram bucket without le");
          }
        } else if (!s.name().equals(family + "_sum") && !s.name().equals(family + "_count")) {
          throw new IllegalArgumentException("histogram sample must be _bucket, _sum or _count");
        }
      }
      case "counter", "gauge" -> {
        if (!s.name().equals(family)) {
          throw new IllegalArgumentException(type + " sample name differs from its family");
        }
        if (type.equals("counter") && (s.value() < 0 || Double.isNaN(s.value()))) {
          throw new IllegalArgumentException("counter value must be >= 0");
        }
      }
      default -> {
        // summaries and untyped: any of the names accepted by family()
      }
    }
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad metric name \"" + name + "\"");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (true) {
        if (i >= line.length()) {
          throw new IllegalArgumentException("unterminated label set");
        }
        if (line.charAt(i) == '}') {
          i++;
          break;
        }
        int eq = line.indexOf('=', i);
        if (eq < 0) {
          throw new IllegalArgumentException("label without =");
        }
        String label = line.substring(i, eq);
        if (!LABEL_NAME.matcher(label).matches()) {
          throw new IllegalArgumentException("bad label name \"" + label + "\"");
        }
        if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("label value must be quoted");
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        while (true) {
          if (j >= line.length()) {
            throw new IllegalArgumentException("unterminated label value");
          }
          char c = line.charAt(j);
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            if (j + 1 >= line.length()) {
              throw new IllegalArgumentException("dangling backslash");
            }
            char e = line.charAt(j + 1);
            switch (e) {
              case '\\' -> value.append('\\');
              case '"' -> value.append('"');
              case 'n' -> value.append('\n');
              default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
            j += 2;
          } else {
            value.append(c);
            j++;
          }
        }
        if (labels.put(label, value.toString()) != null) {
          throw new IllegalArgumentException("duplicate label " + label);
        }
        i = j + 1;
        if (i < line.length() && line.charAt(i) == ',') {
          i++;
        } else if (i >= line.length() || line.charAt(i) != '}') {
          throw new IllegalArgumentException("expected , or } after a label");
        }
      }
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("expected a space before the value");
    }
    String[] rest = line.substring(i + 1).split(" ", -1);
    if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
      throw new IllegalArgumentException("expected value [timestamp]");
    }
    double value = number(rest[0]);
    if (rest.length == 2) {
      Long.parseLong(rest[1]);
    }
    return new Sample(name, Map.copyOf(labels), value);
  }

  private static double number(String s) {
    return switch (s) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        if (!s.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
          throw new IllegalArgumentException("bad value " + s);
        }
        yield Double.parseDouble(s);
      }
    };
  }

  private static String unescapeHelp(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        switch (e) {
          case '\\' -> sb.append('\\');
          case 'n' -> sb.append('\n');
          default -> throw new IllegalArgumentException("bad escape in HELP \\" + e);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The declared type of a family, or null. */
  public String type(String family) {
    return types.get(family);
  }

  public List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Samples named {@code name} whose labels include every {@code name, value} pair given. */
  public List<Sample> samples(String name, String... labelPairs) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && matches(s, labelPairs)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The sum of the matching samples' values (0 when none match). */
  public double sum(String name, String... labelPairs) {
    return samples(name, labelPairs).stream().mapToDouble(Sample::value).sum();
  }

  private static boolean matches(Sample s, String... pairs) {
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(s.labels().get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
