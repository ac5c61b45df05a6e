package org.llmgateway.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.llmgateway.docker.Dockerfile.Instruction;

/**
 * A small Dockerfile linter with the hadolint rules that matter for this image (ids in brackets are
 * hadolint's), plus the build context: every {@code COPY} source must exist in the context and not
 * be filtered out by the {@code .dockerignore}. Findings are sentences naming the file and line;
 * none means clean.
 */
final class DockerfileLint {
  private static final Set<String> KEYWORDS =
      Set.of(
          "FROM",
          "RUN",
          "CMD",
          "LABEL",
          "EXPOSE",
          "ENV",
          "ADD",
          "COPY",
          "ENTRYPOINT",
          "VOLUME",
          "USER",
          "WORKDIR",
          "ARG",
          "ONBUILD",
          "STOPSIGNAL",
          "HEALTHCHECK",
          "SHELL");

  private final Path context;
  private final DockerIgnore ignore;
  private final Set<String> buildOutputs;

  /** {@code context}: the build context directory, {@code ignore}: its {@code .dockerignore}. */
  DockerfileLint(Path context, DockerIgnore ignore) {
    this(context, ignore, Set.of());
  }

  /**
   * {@code buildOutputs}: files a build makes before {@code docker build} (the jar of {@code mvn
   * package}); they count as present whether or not this checkout has built them yet, but must
   * still pass the .dockerignore.
   */
  DockerfileLint(Path context, DockerIgnore ignore, Set<String> buildOutputs) {
    this.context = context;
    this.ignore = ignore;
    this.buildOutputs = buildOutputs;
  }

  List<String> lint(Dockerfile file) {
    List<String> findings = new ArrayList<>();
    Map<String, String> args = file.globalArgs();
    Set<String> stages = new HashSet<>();
    String lastUser = null;
    boolean healthcheck = false;
    for (Instruction i : file.instructions()) {
      String at = file.name() + " " + i + ": ";
      if (!KEYWORDS.contains(i.keyword())) {
        findings.add(at + "unknown instruction");
        continue;
      }
      switch (i.keyword()) {
        case "FROM" -> {
          List<String> w = i.words();
          String image =
              Dockerfile.substitute(w.get(0).startsWith("--") ? w.get(1) : w.get(0), args);
          if (!stages.contains(image) && !image.equals("scratch")) {
            String tag =
                image.contains("@") ? "digest" : image.substring(image.lastIndexOf('/') + 1);
            if (!tag.equals("digest") && !tag.contains(":")) {
              findings.add(at + "[DL3006] pin the base image with a tag: " + image);
            } else if (tag.endsWith(":latest")) {
              findings.add(at + "[DL3007] do not use the latest tag: " + image);
            }
          }
          int as = w.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList().indexOf("AS");
          if (as > 0 && !stages.add(w.get(as + 1))) {
            findings.add(at + "[DL3024] stage name used twice: " + w.get(as + 1));
          }
          lastUser = null; // each stage starts as root
        }
        case "ADD" -> findings.add(at + "[DL3020] use COPY, not ADD, for files and folders");
        case "WORKDIR" -> {
          if (!i.args().startsWith("/") && !i.args().startsWith("$")) {
            findings.add(at + "[DL3000] use an absolute WORKDIR");
          }
        }
        case "RUN" -> {
          if (i.args().matches("(?s).*(^|&&|;)\\s*cd\\s.*")) {
            findings.add(at + "[DL3003] use WORKDIR to switch to a directory");
          }
          if (i.args().contains("apt-get install")
              && !i.args().contains("--no-install-recommends")) {
            findings.add(at + "[DL3015] apt-get install without --no-install-recommends");
          }
          if (i.args().contains("apt-get install")
              && !i.args().contains("rm -rf /var/lib/apt/lists")) {
            findings.add(at + "[DL3009] delete the apt lists after installing");
          }
        }
        case "CMD", "ENTRYPOINT" -> {
          if (i.execForm().isEmpty()) {
            findings.add(at + "[DL3025] use the JSON (exec) form, so signals reach the process");
          }
        }
        case "USER" -> lastUser = i.args();
        case "HEALTHCHECK" -> {
          healthcheck = true;
          int cmd = i.args().indexOf("CMD ");
          if (cmd >= 0
              && Dockerfile.parse("", "CMD " + i.args().substring(cmd + 4))
                  .instructions()
                  .get(0)
                  .execForm()
                  .isEmpty()) {
            findings.add(at + "use the JSON (exec) form for the health check command");
          }
        }
        case "COPY" -> findings.addAll(copySources(i, stages).stream().map(f -> at + f).toList());
        default -> {
          // nothing to check
        }
      }
    }
    if (lastUser == null
        || lastUser.equals("root")
        || lastUser.startsWith("0:")
        || lastUser.equals("0")) {
      findings.add(
          file.name() + ": [DL3002] the image must not run as root: end with USER <non-root>");
    }
    if (!healthcheck) {
      findings.add(file.name() + ": no HEALTHCHECK");
    }
    return findings;
  }

  /**
   * Sources of a COPY from the context: each must match at least one file that the .dockerignore
   * lets through.
   */
  private List<String> copySources(Instruction i, Set<String> stages) {
    List<String> words = i.words();
    if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
      String from =
          words.stream()
              .filter(w -> w.startsWith("--from="))
              .findFirst()
              .orElseThrow()
              .substring(7);
      return stages.contains(from)
          ? List.of()
          : List.of("COPY --from names no earlier stage: " + from);
    }
    List<String> operands = words.stream().filter(w -> !w.startsWith("--")).toList();
    List<String> findings = new ArrayList<>();
    if (operands.size() < 2) {
      return List.of("COPY needs a source and a destination");
    }
    if (operands.size() > 2 && !operands.getLast().endsWith("/")) {
      findings.add("[DL3021] COPY with several sources needs a destination ending in /");
    }
    for (String source : operands.subList(0, operands.size() - 1)) {
      List<String> sent = contextFiles(source).stream().filter(p -> !ignore.excludes(p)).toList();
      if (sent.isEmpty()) {
        findings.add(
            "COPY source "
                + source
                + " matches nothing in the build context (missing or .dockerignore'd)");
      }
    }
    return findings;
  }

  /** Files of the context that {@code source} names (a file, a directory's files, or a glob). */
  private List<String> contextFiles(String source) {
    String clean = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
    if (buildOutputs.contains(clean)) {
      return List.of(clean);
    }
    Path direct = context.resolve(clean);
    try {
      if (!clean.contains("*") && !clean.contains("?")) {
        if (Files.isDirectory(direct)) {
          try (Stream<Path> files = Files.walk(direct)) {
            return files.filter(Files::isRegularFile).map(this::relative).toList();
          }
        }
        return Files.isRegularFile(direct) ? List.of(clean) : List.of();
      }
      PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + clean);
      Path parent = direct.getParent();
      if (!Files.isDirectory(parent)) {
        return List.of();
      }
      try (Stream<Path> files = Files.list(parent)) {
        return files
            .filter(Files::isRegularFile)
            .map(this::relative)
            .filter(p -> glob.matches(Path.of(p)))
            .toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String relative(Path p) {
    return context.relativize(p).toString().replace('\\', '/');
  }
}
