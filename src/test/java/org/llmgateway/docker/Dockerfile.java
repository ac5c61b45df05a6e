package org.llmgateway.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into instructions: comments and the parser directive dropped, backslash
 * continuations joined, each instruction with the line it starts on. Enough of the syntax for
 * linting and for reading paths back; heredocs are not supported (the project's Dockerfiles have
 * none).
 */
record Dockerfile(String name, List<Instruction> instructions) {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  /**
   * One instruction: upper-case keyword, the rest of the (joined) line, the line number it starts
   * on.
   */
  record Instruction(int line, String keyword, String args) {
    /**
     * The arguments of a JSON exec form ({@code ["a", "b"]}), or empty when the shell form is used.
     */
    Optional<List<String>> execForm() {
      String a = args.trim();
      if (!a.startsWith("[") || !a.endsWith("]")) {
        return Optional.empty();
      }
      if (a.substring(1, a.length() - 1).isBlank()) {
        return Optional.of(List.of());
      }
      List<String> parts = new ArrayList<>();
      Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|])").matcher(a);
      int expected = 1;
      while (m.find()) {
        if (m.start() != expected && !a.substring(expected, m.start()).isBlank()) {
          return Optional.empty();
        }
        parts.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        expected = m.end();
      }
      return expected == a.length() ? Optional.of(parts) : Optional.empty();
    }

    /** Whitespace-separated words, options ({@code --from=...}) included. */
    List<String> words() {
      return List.of(args.trim().split("\\s+"));
    }

    @Override
    public String toString() {
      return "line " + line + ": " + keyword + " " + args;
    }
  }

  static Dockerfile read(Path file) throws IOException {
    return parse(file.toString(), Files.readString(file));
  }

  static Dockerfile parse(String name, String text) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = null;
    int start = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].stripTrailing();
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || current == null && trimmed.isEmpty()) {
        continue; // comments (the syntax directive too) and blank lines, also inside continuations
      }
      if (current == null) {
        current = new StringBuilder();
        start = i + 1;
      }
      boolean continues = line.endsWith("\\");
      current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
      if (!continues) {
        String joined = current.toString().strip();
        int space = joined.indexOf(' ');
        String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
        out.add(
            new Instruction(start, keyword, space < 0 ? "" : joined.substring(space + 1).strip()));
        current = null;
      }
    }
    return new Dockerfile(name, List.copyOf(out));
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The instructions of the last stage (after its FROM). */
  List<Instruction> finalStage() {
    int last = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return instructions.subList(last, instructions.size());
  }

  /** Defaults of the ARGs declared before the first FROM, which FROM lines may use. */
  Map<String, String> globalArgs() {
    Map<String, String> args = new LinkedHashMap<>();
    for (Instruction i : instructions) {
      if (i.keyword().equals("FROM")) {
        break;
      }
      if (i.keyword().equals("ARG")) {
        String[] kv = i.args().split("=", 2);
        args.put(kv[0].strip(), kv.length > 1 ? unquote(kv[1].strip()) : "");
      }
    }
    return args;
  }

  /** {@code ENV} of the final stage, both {@code K=V K2=V2} and legacy {@code K V} forms. */
  Map<String, String> finalEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Instruction i : finalStage()) {
      if (!i.keyword().equals("ENV")) {
        continue;
      }
      Matcher m =
          Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)")
              .matcher(i.args());
      boolean any = false;
      while (m.find()) {
        env.put(m.group(1), unquote(m.group(2)));
        any = true;
      }
      if (!any) {
        String[] kv = i.args().split("\\s+", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return env;
  }

  /**
   * {@code ${NAME}} and {@code ${NAME:-default}} replaced from {@code values}, else by the default
   * or nothing.
   */
  static String substitute(String text, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null || value.isEmpty()) {
        value = m.group(2) == null ? "" : m.group(2);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }
}
