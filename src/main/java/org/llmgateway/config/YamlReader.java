package org.llmgateway.config;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * SnakeYAML set up for configuration: safe types only, duplicate keys rejected, and a resolver that
 * keeps YAML 1.1 surprises out. {@code qwen2:7b}, {@code 1:30} (sexagesimal), {@code no}/{@code on}
 * and dates stay strings; only {@code true}/{@code false}, plain decimal numbers and null are
 * typed.
 */
final class YamlReader {
  private static final Pattern STRICT_BOOL =
      Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
  private static final Pattern STRICT_INT = Pattern.compile("^[-+]?(?:0|[1-9][0-9_]*)$");
  private static final Pattern STRICT_FLOAT =
      Pattern.compile(
          "^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]+(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$");

  private YamlReader() {}

  static Yaml create() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(8 * 1024 * 1024);
    return new Yaml(
        new SafeConstructor(options),
        new Representer(new DumperOptions()),
        new DumperOptions(),
        options,
        new StrictResolver());
  }

  /**
   * Names differ from {@link Resolver}'s own {@code BOOL}/{@code INT}/{@code FLOAT}, which would
   * shadow ours here.
   */
  private static final class StrictResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, STRICT_BOOL, "tfTF");
      addImplicitResolver(Tag.INT, STRICT_INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, STRICT_FLOAT, "-+.0123456789");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, EMPTY, null);
    }
  }
}
