package org.llmgateway.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of an nginx configuration file the fleet's checks read, without nginx: the {@code
 * upstream} blocks with their {@code server} entries, and every simple directive ({@code name
 * args;}) in file order. Comments are dropped; quoted arguments keep their quotes.
 */
record NginxConf(String text, Map<String, List<String>> upstreams, List<List<String>> directives) {
  private static final Pattern UPSTREAM = Pattern.compile("upstream\\s+(\\S+)\\s*\\{([^}]*)}");
  private static final Pattern SERVER = Pattern.compile("(?m)^\\s*server\\s+([^\\s;]+)[^;]*;");
  private static final Pattern DIRECTIVE =
      Pattern.compile("(?m)^\\s*([a-z_0-9]+)((?:\\s+(?:\"[^\"]*\"|[^\\s;{}\"]+))*)\\s*;");
  private static final Pattern WORD = Pattern.compile("\"[^\"]*\"|[^\\s\"]+");

  static NginxConf read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  static NginxConf parse(String raw) {
    String text = raw.replaceAll("(?m)#.*$", "");
    Map<String, List<String>> upstreams = new LinkedHashMap<>();
    Matcher u = UPSTREAM.matcher(text);
    while (u.find()) {
      List<String> servers = new ArrayList<>();
      Matcher s = SERVER.matcher(u.group(2));
      while (s.find()) {
        servers.add(s.group(1));
      }
      upstreams.put(u.group(1), servers);
    }
    List<List<String>> directives = new ArrayList<>();
    Matcher d = DIRECTIVE.matcher(text);
    while (d.find()) {
      List<String> words = new ArrayList<>(List.of(d.group(1)));
      Matcher w = WORD.matcher(d.group(2));
      while (w.find()) {
        words.add(w.group());
      }
      directives.add(List.copyOf(words));
    }
    return new NginxConf(text, upstreams, directives);
  }

  /** The arguments of every directive called {@code name}, in file order. */
  List<List<String>> all(String name) {
    return directives.stream()
        .filter(d -> d.getFirst().equals(name))
        .map(d -> d.subList(1, d.size()))
        .toList();
  }

  /**
   * The arguments of the one directive called {@code name}; fails when it is missing or repeated.
   */
  List<String> one(String name) {
    List<List<String>> found = all(name);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + name + " directive, found " + found.size() + ": " + found);
    }
    return found.getFirst();
  }
}
