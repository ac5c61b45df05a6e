package org.llmgateway.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llmgateway.docker.Dockerfile.Instruction;
import org.yaml.snakeyaml.Yaml;

/**
 * The container files as a user meets them, without a Docker engine: both Dockerfiles pass the lint
 * and copy only what the build context holds, the context keeps out {@code .git}, build output and
 * secrets, the runtime-only Dockerfile builds the same image as the full one, compose gives the
 * drain time to finish and publishes on the loopback interface, and the paths, port and user the
 * READMEs name are the image's.
 */
class DockerFilesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path DOCKERFILE = ROOT.resolve("docker/Dockerfile");
  private static final Path RUNTIME_DOCKERFILE = ROOT.resolve("docker/Dockerfile.runtime");
  private static final Path COMPOSE = ROOT.resolve("docker/compose.yaml");

  /**
   * Time the gateway needs after the drain to close connections and flush its logs before Docker's
   * SIGKILL.
   */
  private static final Duration FLUSH_MARGIN = Duration.ofSeconds(10);

  /**
   * What the classic builder may send besides the jar: sources, configs, docs (a few hundred KB
   * today).
   */
  private static final long MAX_CONTEXT_BYTES_BESIDES_THE_JAR = 5L * 1024 * 1024;

  @TempDir Path tmp;

  private static DockerIgnore ignore() throws IOException {
    return DockerIgnore.read(ROOT.resolve(".dockerignore"));
  }

  @Test
  void bothDockerfilesPassTheLintAndCopyOnlyWhatTheContextHolds() throws IOException {
    // the runtime-only Dockerfile copies the jar that `mvn package` builds before `docker build`;
    // the tests run first
    DockerfileLint lint = new DockerfileLint(ROOT, ignore(), Set.of("target/llm-gateway-lite.jar"));
    assertEquals(List.of(), lint.lint(Dockerfile.read(DOCKERFILE)));
    assertEquals(List.of(), lint.lint(Dockerfile.read(RUNTIME_DOCKERFILE)));
  }

  @Test
  void theLintFindsEveryKindOfProblemItChecks() throws IOException {
    Files.createDirectories(tmp.resolve("target/classes"));
    Files.writeString(tmp.resolve("target/classes/A.class"), "x");
    Files.writeString(tmp.resolve("app.jar"), "x");
    DockerfileLint lint = new DockerfileLint(tmp, DockerIgnore.parse("target\n"));
    List<String> findings =
        lint.lint(
            Dockerfile.parse(
                "bad",
                """
        FROM ubuntu AS base
        FROM eclipse-temurin:latest AS base
        ADD app.jar /app.jar
        WORKDIR app
        RUN cd /tmp && apt-get install -y curl
        COPY missing.txt /missing.txt
        COPY target/classes/ /classes/
        COPY app.jar missing.txt /dest
        COPY --from=nowhere /x /x
        CMD java -jar /app.jar
        FROOM typo
        """));
    for (String expected :
        List.of(
            "[DL3006]",
            "[DL3007]",
            "[DL3024]",
            "[DL3020]",
            "[DL3000]",
            "[DL3003]",
            "[DL3015]",
            "[DL3009]",
            "[DL3025]",
            "[DL3002]",
            "[DL3021]",
            "no HEALTHCHECK",
            "unknown instruction",
            "COPY source missing.txt matches nothing",
            "COPY source target/classes/ matches nothing",
            "COPY --from names no earlier stage: nowhere")) {
      assertTrue(
          findings.stream().anyMatch(f -> f.contains(expected)), expected + " in " + findings);
    }
    assertTrue(
        findings.stream().anyMatch(f -> f.startsWith("bad line 3: ADD")), findings::toString);
  }

  @Test
  void theBuildContextKeepsOutGitBuildOutputLogsAndSecrets() throws IOException {
    DockerIgnore ignore = ignore();
    for (String out :
        List.of(
            ".git/HEAD",
            ".git",
            "target/classes/org/llmgateway/Main.class",
            "target/llm-gateway-lite.war",
            "target/original-llm-gateway-lite.jar",
            "logs/app.log",
            ".env",
            "docker/.env",
            "configs/.env.local",
            "src/bench/target/x.class",
            ".idea/workspace.xml")) {
      assertTrue(ignore.excludes(out), out + " must stay out of the build context");
    }
    for (String in :
        List.of(
            "target/llm-gateway-lite.jar",
            "pom.xml",
            "src/main/java/org/llmgateway/Main.java",
            "webapp/WEB-INF/web.xml",
            "configs/providers.yaml",
            "configs/openai.yaml.example",
            "docker/healthcheck.sh",
            "docker/.env.example")) {
      assertFalse(ignore.excludes(in), in + " must be in the build context");
    }
    // what the classic builder would send from this checkout, the jar aside
    long bytes;
    try (Stream<Path> files = Files.walk(ROOT)) {
      bytes =
          files
              .filter(Files::isRegularFile)
              .filter(p -> !ignore.excludes(ROOT.relativize(p).toString().replace('\\', '/')))
              .filter(p -> !p.endsWith(Path.of("target/llm-gateway-lite.jar")))
              .mapToLong(p -> p.toFile().length())
              .sum();
    }
    assertTrue(
        bytes < MAX_CONTEXT_BYTES_BESIDES_THE_JAR,
        "build context is " + bytes + " bytes besides the jar");
  }

  @Test
  void theRuntimeOnlyDockerfileBuildsTheSameImageAsTheFullOne() throws IOException {
    List<Instruction> full = Dockerfile.read(DOCKERFILE).finalStage();
    List<Instruction> runtime = Dockerfile.read(RUNTIME_DOCKERFILE).finalStage();
    assertEquals(
        withoutCopySources(full),
        withoutCopySources(runtime),
        "docker/Dockerfile.runtime must match the runtime stage of docker/Dockerfile (only COPY sources differ)");
    assertEquals(
        Dockerfile.read(DOCKERFILE).globalArgs().get("RUNTIME_IMAGE"),
        Dockerfile.read(RUNTIME_DOCKERFILE).globalArgs().get("RUNTIME_IMAGE"),
        "the same runtime base image");
  }

  private static List<String> withoutCopySources(List<Instruction> stage) {
    return stage.stream()
        .map(
            i ->
                i.keyword().equals("COPY")
                    ? "COPY -> " + i.words().getLast()
                    : i.keyword() + " " + i.args().replaceAll("\\s+", " "))
        .toList();
  }

  @Test
  void composeLeavesTimeToFlushAfterTheDrainAndPublishesOnLoopbackByDefault() throws IOException {
    Map<String, Object> gateway = composeService();
    String grace =
        Dockerfile.substitute(
            String.valueOf(
                map(gateway, "environment").getOrDefault("GATEWAY_SHUTDOWN_GRACE_SEC", "30")),
            Map.of());
    Duration drain = Duration.ofSeconds(Long.parseLong(grace));
    Duration stop = composeDuration(String.valueOf(gateway.get("stop_grace_period")));
    assertTrue(
        stop.compareTo(drain.plus(FLUSH_MARGIN)) >= 0,
        "stop_grace_period "
            + stop
            + " must exceed GATEWAY_SHUTDOWN_GRACE_SEC "
            + drain
            + " by "
            + FLUSH_MARGIN);

    @SuppressWarnings("unchecked")
    List<Object> ports = (List<Object>) gateway.get("ports");
    assertFalse(ports.isEmpty());
    for (Object port : ports) {
      String published = Dockerfile.substitute(String.valueOf(port), Map.of());
      assertTrue(published.startsWith("127.0.0.1:"), "published on loopback by default: " + port);
      assertTrue(
          Dockerfile.substitute(String.valueOf(port), Map.of("GATEWAY_PUBLISH_ADDRESS", "0.0.0.0"))
              .startsWith("0.0.0.0:"),
          "GATEWAY_PUBLISH_ADDRESS opens it, as the comment says: " + port);
    }
    String compose = Files.readString(COMPOSE);
    assertTrue(
        compose.contains("GATEWAY_PUBLISH_ADDRESS=0.0.0.0"),
        "compose.yaml says how to open the port");
  }

  @Test
  void composeMountsAndChecksHealthWhereTheImageHasThings() throws IOException {
    Dockerfile image = Dockerfile.read(DOCKERFILE);
    Map<String, String> env = image.finalEnv();
    Map<String, Object> gateway = composeService();
    @SuppressWarnings("unchecked")
    List<String> volumes = (List<String>) gateway.get("volumes");
    List<String> targets = volumes.stream().map(v -> v.split(":")[1]).toList();
    assertTrue(
        targets.contains(env.get("GATEWAY_CONFIG_DIR")),
        volumes + " mounts " + env.get("GATEWAY_CONFIG_DIR"));
    assertTrue(
        targets.contains(env.get("GATEWAY_LOG_DIR")),
        volumes + " mounts " + env.get("GATEWAY_LOG_DIR"));

    String healthcheck = copyDestination(image, "docker/healthcheck.sh");
    @SuppressWarnings("unchecked")
    List<String> test = (List<String>) map(gateway, "healthcheck").get("test");
    assertEquals(List.of("CMD", healthcheck), test);
    assertTrue(image.all("HEALTHCHECK").getFirst().args().contains("[\"" + healthcheck + "\"]"));

    Map<String, Object> build = map(gateway, "build");
    Path context = COMPOSE.getParent().resolve(String.valueOf(build.get("context"))).normalize();
    assertEquals(ROOT, context);
    assertTrue(Files.isRegularFile(context.resolve(String.valueOf(build.get("dockerfile")))));
  }

  @Test
  void theReadmesNameThePathsPortAndUserOfTheImage() throws IOException {
    Dockerfile image = Dockerfile.read(DOCKERFILE);
    Map<String, String> env = image.finalEnv();
    String user =
        image.finalStage().stream()
            .filter(i -> i.keyword().equals("USER"))
            .toList()
            .getLast()
            .args();
    String uid = user.split(":")[0];
    String jar =
        image.all("ENTRYPOINT").getLast().execForm().orElseThrow().stream()
            .map(a -> find(a, "(/\\S+\\.jar)"))
            .filter(j -> !j.isEmpty())
            .findFirst()
            .orElseThrow();
    String port = image.all("EXPOSE").getLast().args();
    assertEquals(port, env.get("GATEWAY_PORT"));
    assertTrue(
        image.finalStage().stream().anyMatch(i -> i.args().contains("useradd --uid " + uid)),
        "USER " + user + " is the user the image creates");

    String dockerReadme = Files.readString(ROOT.resolve("docker/README.md"));
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (String fact :
        List.of(
            env.get("GATEWAY_CONFIG_DIR"),
            env.get("GATEWAY_LOG_DIR"),
            jar,
            "uid " + uid,
            "uid/gid " + uid,
            port,
            "Dockerfile.runtime",
            copyDestination(image, "docker/healthcheck.sh"))) {
      assertTrue(dockerReadme.contains(fact), "docker/README.md names " + fact);
    }
    for (String fact :
        List.of(
            env.get("GATEWAY_CONFIG_DIR"),
            env.get("GATEWAY_LOG_DIR"),
            "uid " + uid,
            "Dockerfile.runtime")) {
      assertTrue(readme.contains(fact), "README.md names " + fact);
    }
    assertTrue(image.all("WORKDIR").getLast().args().equals(Path.of(jar).getParent().toString()));
  }

  private static String copyDestination(Dockerfile image, String source) {
    return image.finalStage().stream()
        .filter(i -> i.keyword().equals("COPY") && i.words().contains(source))
        .map(i -> i.words().getLast())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no COPY of " + source));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> composeService() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
    return map(map(compose, "services"), "llm-gateway");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertTrue(value instanceof Map, key + " is a mapping in compose.yaml");
    return (Map<String, Object>) value;
  }

  /** Compose durations: {@code 45s}, {@code 1m30s}, {@code 2m}. */
  private static Duration composeDuration(String text) {
    Matcher m = Pattern.compile("(\\d+)(h|ms|m|s)").matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "ms" -> Duration.ofMillis(n);
                default -> Duration.ofSeconds(n);
              });
      end = m.end();
    }
    assertEquals(text.length(), end, "a compose duration: " + text);
    return total;
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : "";
  }
}
