package org.llmgateway.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
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
  private static final Path FLEET = ROOT.resolve("docker/compose.fleet.yaml");

  /**
   * The gateway's default request deadline (GATEWAY_REQUEST_TIMEOUT_MS): streams may last that
   * long.
   */
  private static final Duration REQUEST_DEADLINE = Duration.ofMinutes(10);

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

  // ---- docker/compose.fleet.yaml: two replicas, Redis, an nginx load balancer ----

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fleetServices() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(FLEET));
    return map(compose, "services");
  }

  /** The fleet's gateway replicas: the services running compose.yaml's image, by name. */
  private static Map<String, Map<String, Object>> fleetReplicas() throws IOException {
    Object image = composeService().get("image");
    Map<String, Map<String, Object>> replicas = new TreeMap<>();
    fleetServices()
        .forEach(
            (name, value) -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> service = (Map<String, Object>) value;
              if (image.equals(service.get("image"))) {
                replicas.put(name, service);
              }
            });
    return replicas;
  }

  private static Map<String, Object> loadBalancer() throws IOException {
    for (Object value : fleetServices().values()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> service = (Map<String, Object>) value;
      if (String.valueOf(service.get("image")).startsWith("nginx:")) {
        return service;
      }
    }
    throw new AssertionError("no nginx service in compose.fleet.yaml");
  }

  /** The host file the load balancer mounts as its server configuration. */
  private static Path nginxConfigFile() throws IOException {
    @SuppressWarnings("unchecked")
    List<String> volumes = (List<String>) loadBalancer().get("volumes");
    for (String v : volumes) {
      String[] parts = v.split(":");
      if (parts[1].startsWith("/etc/nginx/")) {
        assertEquals("ro", parts.length > 2 ? parts[2] : "", "mounted read-only: " + v);
        return FLEET.getParent().resolve(parts[0]).normalize();
      }
    }
    throw new AssertionError("the load balancer mounts no nginx configuration: " + volumes);
  }

  @Test
  void theFleetRunsTwoReplicasOfTheComposeImageWithDistinctIdsOnTheSameRedisService()
      throws IOException {
    Map<String, Map<String, Object>> replicas = fleetReplicas();
    assertEquals(2, replicas.size(), "two replicas: " + replicas.keySet());
    Map<String, Object> single = composeService();
    Set<String> ids = new HashSet<>();
    Set<String> urls = new HashSet<>();
    for (Map.Entry<String, Map<String, Object>> r : replicas.entrySet()) {
      Map<String, Object> service = r.getValue();
      assertEquals(
          single.get("build"), service.get("build"), r.getKey() + " builds compose.yaml's image");
      assertEquals(
          single.get("volumes").toString().contains("../configs:/etc/llm-gateway/conf.d:ro"),
          service.get("volumes").toString().contains("../configs:/etc/llm-gateway/conf.d:ro"),
          r.getKey() + " mounts the same configuration");
      assertEquals(
          map(single, "healthcheck"), map(service, "healthcheck"), r.getKey() + "'s health check");
      assertFalse(
          service.containsKey("ports"), r.getKey() + " is reached through the load balancer only");
      Map<String, Object> env = map(service, "environment");
      ids.add(String.valueOf(env.get("GATEWAY_REPLICA_ID")));
      urls.add(Dockerfile.substitute(String.valueOf(env.get("GATEWAY_REDIS_URL")), Map.of()));
    }
    assertEquals(2, ids.size(), "distinct GATEWAY_REPLICA_ID: " + ids);
    assertEquals(1, urls.size(), "one GATEWAY_REDIS_URL for all: " + urls);
    URI redis = URI.create(urls.iterator().next());
    assertEquals("redis", redis.getScheme());
    Map<String, Object> redisService = map(fleetServices(), redis.getHost());
    assertTrue(
        String.valueOf(redisService.get("image")).startsWith("redis:7"),
        "the URL names the official redis:7 service: " + redisService.get("image"));
    assertEquals(6379, redis.getPort());
    assertFalse(redisService.containsKey("ports"), "Redis stays on the compose network");
    @SuppressWarnings("unchecked")
    List<String> healthcheck = (List<String>) map(redisService, "healthcheck").get("test");
    assertEquals(List.of("CMD", "redis-cli", "ping"), healthcheck);
    @SuppressWarnings("unchecked")
    List<String> command = (List<String>) redisService.get("command");
    assertTrue(
        String.join(" ", command).contains("--save  --appendonly no"),
        "no persistence: " + command);
  }

  @Test
  void theFleetPublishesOnlyTheLoadBalancerOnLoopbackAndLeavesEveryoneTimeToDrain()
      throws IOException {
    Map<String, Object> lb = loadBalancer();
    for (Map.Entry<String, Object> s : fleetServices().entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> service = (Map<String, Object>) s.getValue();
      assertEquals(
          String.valueOf(service.get("image")).startsWith("nginx:"),
          service.containsKey("ports"),
          s.getKey() + " publishes ports");
    }
    @SuppressWarnings("unchecked")
    List<Object> ports = (List<Object>) lb.get("ports");
    assertEquals(1, ports.size());
    String port = String.valueOf(ports.getFirst());
    assertEquals(
        "127.0.0.1:13030:13030", Dockerfile.substitute(port, Map.of()), "loopback by default");
    assertTrue(
        Dockerfile.substitute(port, Map.of("GATEWAY_PUBLISH_ADDRESS", "0.0.0.0"))
            .startsWith("0.0.0.0:"),
        "GATEWAY_PUBLISH_ADDRESS opens it: " + port);
    assertTrue(Files.readString(FLEET).contains("GATEWAY_PUBLISH_ADDRESS=0.0.0.0"), "says how");

    Duration longestDrain = Duration.ZERO;
    for (Map.Entry<String, Map<String, Object>> r : fleetReplicas().entrySet()) {
      Duration drain =
          Duration.ofSeconds(
              Long.parseLong(
                  Dockerfile.substitute(
                      String.valueOf(
                          map(r.getValue(), "environment")
                              .getOrDefault("GATEWAY_SHUTDOWN_GRACE_SEC", "30")),
                      Map.of())));
      Duration stop = composeDuration(String.valueOf(r.getValue().get("stop_grace_period")));
      assertTrue(
          stop.compareTo(drain.plus(FLUSH_MARGIN)) >= 0,
          r.getKey()
              + ": stop_grace_period "
              + stop
              + " must exceed the drain "
              + drain
              + " by "
              + FLUSH_MARGIN);
      longestDrain = longestDrain.compareTo(drain) > 0 ? longestDrain : drain;
    }
    Duration lbStop = composeDuration(String.valueOf(lb.get("stop_grace_period")));
    assertTrue(
        lbStop.compareTo(longestDrain) >= 0,
        "nginx lets streams finish as long as the replicas drain: " + lbStop);
  }

  @Test
  void theLoadBalancerNamesExactlyTheReplicasAndPassesStreamsThroughUnbuffered()
      throws IOException {
    NginxConf nginx = NginxConf.read(nginxConfigFile());
    String port = Dockerfile.read(DOCKERFILE).finalEnv().get("GATEWAY_PORT");
    Set<String> expected = new TreeSet<>();
    for (String replica : fleetReplicas().keySet()) {
      expected.add(replica + ":" + port);
    }
    assertFalse(nginx.upstreams().isEmpty(), "upstream blocks");
    nginx
        .upstreams()
        .forEach(
            (name, servers) -> assertEquals(expected, new TreeSet<>(servers), "upstream " + name));
    for (List<String> pass : nginx.all("proxy_pass")) {
      String target = pass.getFirst().replaceFirst("^http://", "");
      assertTrue(nginx.upstreams().containsKey(target), "proxy_pass to an upstream: " + pass);
    }
    assertTrue(nginx.all("keepalive").size() >= nginx.upstreams().size(), "keep-alive pools");
    assertEquals(List.of("1.1"), nginx.one("proxy_http_version"));
    assertTrue(
        nginx.all("proxy_set_header").contains(List.of("Connection", "\"\"")),
        "no Connection: close to the replicas");
    assertEquals(List.of("off"), nginx.one("proxy_buffering"));
    assertEquals(List.of("off"), nginx.one("proxy_request_buffering"));
    for (String timeout : List.of("proxy_read_timeout", "proxy_send_timeout")) {
      Duration d = composeDuration(nginx.one(timeout).getFirst());
      assertTrue(d.compareTo(REQUEST_DEADLINE) > 0, timeout + " " + d + " outlasts a stream");
    }
    List<String> next = nginx.one("proxy_next_upstream");
    assertTrue(
        Set.of("error", "timeout").containsAll(next),
        "connection errors only, never an HTTP answer nor a POST that was sent: " + next);
    @SuppressWarnings("unchecked")
    List<Object> ports = (List<Object>) loadBalancer().get("ports");
    String containerPort = String.valueOf(ports.getFirst()).replaceAll(".*:", "");
    assertEquals(
        List.of(containerPort), nginx.one("listen"), "nginx listens on the published port");
  }

  @Test
  void theLoadBalancerConfigurationPassesNginxsOwnCheck() throws IOException, InterruptedException {
    Optional<Path> nginx =
        Stream.of("/usr/sbin/nginx", "/usr/bin/nginx")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst();
    Assumptions.assumeTrue(
        nginx.isPresent(),
        "nginx is not installed, so `nginx -t` of docker/fleet-nginx.conf was skipped: run src/scripts/test.sh as root"
            + " (it installs it) or `apt-get install -y nginx`");
    // The replicas' names resolve only on the compose network, and nginx resolves them while it
    // checks: each
    // becomes a loopback address of its own; everything else is checked as written.
    String conf = Files.readString(nginxConfigFile());
    int i = 1;
    for (String replica : fleetReplicas().keySet()) {
      conf = conf.replaceAll("\\b" + Pattern.quote(replica) + ":", "127.0.0." + i++ + ":");
    }
    Files.writeString(tmp.resolve("default.conf"), conf);
    Files.writeString(
        tmp.resolve("nginx.conf"),
        "pid "
            + tmp.resolve("nginx.pid")
            + ";\nerror_log "
            + tmp.resolve("error.log")
            + ";\n"
            + "events {}\nhttp {\n  client_body_temp_path "
            + tmp.resolve("body")
            + ";\n"
            + "  proxy_temp_path "
            + tmp.resolve("proxy")
            + ";\n  include "
            + tmp.resolve("default.conf")
            + ";\n}\n");
    Process check =
        new ProcessBuilder(
                nginx.get().toString(),
                "-t",
                "-q",
                "-p",
                tmp.toString(),
                "-e",
                tmp.resolve("error.log").toString(),
                "-c",
                tmp.resolve("nginx.conf").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(check.waitFor(30, TimeUnit.SECONDS), "nginx -t finished");
    assertEquals(0, check.exitValue(), "nginx -t of docker/fleet-nginx.conf: " + output);
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
