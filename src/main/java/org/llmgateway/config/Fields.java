package org.llmgateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A typed, path-aware view of one YAML mapping. Every accessor reports a wrong type to {@link
 * Problems} and returns the default, so validation goes on and finds every problem in one pass.
 * Unknown keys are reported on creation.
 */
final class Fields {
  private final Map<?, ?> map;
  private final String file;
  private final String path;
  private final Problems problems;

  private Fields(Map<?, ?> map, String file, String path, Problems problems) {
    this.map = map;
    this.file = file;
    this.path = path;
    this.problems = problems;
  }

  /**
   * A view of {@code value} as a mapping at {@code path}, or empty (reported) when it is not one.
   */
  static Optional<Fields> of(
      Object value, String file, String path, Problems problems, Set<String> allowed) {
    if (!(value instanceof Map<?, ?> m)) {
      problems.add(file, path, "must be a mapping, got " + describe(value));
      return Optional.empty();
    }
    Fields f = new Fields(m, file, path, problems);
    for (Object key : m.keySet()) {
      String k = String.valueOf(key);
      if (!allowed.contains(k)) {
        String hint =
            Suggest.closest(k, allowed).map(s -> " (did you mean \"" + s + "\"?)").orElse("");
        problems.add(
            file,
            f.child(k),
            "unknown key"
                + hint
                + "; allowed: "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
    return Optional.of(f);
  }

  String file() {
    return file;
  }

  String path() {
    return path;
  }

  Problems problems() {
    return problems;
  }

  String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return map.containsKey(key) && map.get(key) != null;
  }

  Object raw(String key) {
    return map.get(key);
  }

  void error(String key, String message) {
    problems.add(file, child(key), message);
  }

  Optional<String> string(String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof String s) {
      return Optional.of(s);
    }
    if (v instanceof Number || v instanceof Boolean) {
      return Optional.of(String.valueOf(v));
    }
    error(key, "must be a string, got " + describe(v));
    return Optional.empty();
  }

  /**
   * A whole number that is at least {@code min}; strings of digits are accepted, as the original
   * did.
   */
  long number(String key, long dflt, long min) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    long n;
    if (v instanceof Integer || v instanceof Long) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s && s.trim().matches("-?\\d{1,18}")) {
      n = Long.parseLong(s.trim());
    } else {
      error(key, "must be a whole number, got " + describe(v));
      return dflt;
    }
    if (n < min) {
      error(key, "must be at least " + min + ", got " + n);
      return dflt;
    }
    return n;
  }

  boolean bool(String key, boolean dflt) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    error(key, "must be true or false, got " + describe(v));
    return dflt;
  }

  /** A list of non-empty strings; numbers are kept as their text ({@code - 4} is "4"). */
  Optional<List<String>> strings(String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof List<?> list)) {
      error(key, "must be a list, got " + describe(v));
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item instanceof String || item instanceof Number) {
        String s = String.valueOf(item);
        if (s.isBlank()) {
          problems.add(file, child(key) + "[" + i + "]", "must not be empty");
        } else {
          out.add(s);
        }
      } else {
        problems.add(file, child(key) + "[" + i + "]", "must be a string, got " + describe(item));
      }
    }
    return Optional.of(out);
  }

  /** A mapping of string keys to string values, in file order. */
  Optional<Map<String, String>> stringMap(String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map<?, ?> m)) {
      error(key, "must be a mapping, got " + describe(v));
      return Optional.empty();
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach(
        (k, val) -> {
          if (val instanceof String || val instanceof Number || val instanceof Boolean) {
            out.put(String.valueOf(k), String.valueOf(val));
          } else {
            problems.add(file, child(key) + "." + k, "must be a string, got " + describe(val));
          }
        });
    return Optional.of(out);
  }

  static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    return v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + v;
  }
}
