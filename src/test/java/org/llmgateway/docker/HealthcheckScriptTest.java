package org.llmgateway.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llmgateway.testing.GatewayUnderTest;

/**
 * {@code docker/healthcheck.sh}, the image's HEALTHCHECK, run as Docker runs it (no arguments, the
 * image's environment) against a live gateway: healthy on its default path, unhealthy on a wrong
 * path or a closed port, with curl and with the bash {@code /dev/tcp} fallback used when the image
 * has no curl.
 */
class HealthcheckScriptTest {
  private static final Path SCRIPT = Path.of("docker/healthcheck.sh").toAbsolutePath();
  private static final String BASH = "/bin/bash";
  private static GatewayUnderTest gateway;

  @TempDir static Path noTools;

  @BeforeAll
  static void startGateway() {
    gateway =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                """
            providers: {mock: {type: mock}}
            models: {demo: {provider_map: {mock: echo}}}
            """)
            .start();
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
  }

  private static int port() {
    return gateway.server().port();
  }

  @Test
  void withCurlTheDefaultPathIsHealthyAndAWrongPathOrAClosedPortIsNot() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/curl")),
        "curl is installed (the Temurin images have it)");
    assertEquals(0, run(Map.of("GATEWAY_PORT", Integer.toString(port())), null));
    assertEquals(
        1,
        run(
            Map.of("GATEWAY_PORT", Integer.toString(port()), "HEALTHCHECK_PATH", "/healthzz"),
            null));
    assertEquals(1, run(Map.of("GATEWAY_PORT", Integer.toString(closedPort())), null));
  }

  @Test
  void withoutCurlTheDevTcpFallbackGivesTheSameAnswers() throws Exception {
    assertEquals(0, run(Map.of("GATEWAY_PORT", Integer.toString(port())), noTools));
    assertEquals(
        1,
        run(
            Map.of("GATEWAY_PORT", Integer.toString(port()), "HEALTHCHECK_PATH", "/healthzz"),
            noTools));
    assertEquals(1, run(Map.of("GATEWAY_PORT", Integer.toString(closedPort())), noTools));
  }

  @Test
  void theScriptsDefaultPathIsTheGatewaysHealthEndpointAndTheImageAgrees() throws IOException {
    Matcher m =
        Pattern.compile("\\$\\{HEALTHCHECK_PATH:-([^}]*)}").matcher(Files.readString(SCRIPT));
    assertTrue(m.find(), "healthcheck.sh has a default path");
    assertEquals("/healthz", m.group(1));
    assertEquals(200, gateway.get(m.group(1)).statusCode());
    String image = Dockerfile.read(Path.of("docker/Dockerfile")).finalEnv().get("HEALTHCHECK_PATH");
    assertTrue(image == null || image.equals(m.group(1)), "the image's HEALTHCHECK_PATH: " + image);
  }

  /**
   * Runs the script with only {@code env} set (and a {@code PATH} without curl when {@code path} is
   * given).
   */
  private static int run(Map<String, String> env, Path path)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(List.of(BASH, SCRIPT.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> environment = pb.environment();
    Map<String, String> keep = new HashMap<>();
    keep.put("PATH", path == null ? System.getenv("PATH") : path.toString());
    environment.clear();
    environment.putAll(keep);
    environment.putAll(env);
    Process process = pb.start();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("healthcheck.sh did not finish in 15 s");
    }
    return process.exitValue();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort(); // free again once closed: nothing listens there
    }
  }
}
