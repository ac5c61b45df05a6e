package org.llmgateway.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;
import org.llmgateway.testing.GatewayUnderTest;
import org.llmgateway.testing.LogFiles;
import org.llmgateway.testing.PromText;
import org.llmgateway.testing.RedisServer;
import org.llmgateway.testing.TempDirs;
import org.llmgateway.testing.TestPki;

/**
 * A Redis that wants a password or speaks TLS: the gateway authenticates with the URL's password or
 * {@code GATEWAY_REDIS_PASSWORD}, trusts a private CA from {@code GATEWAY_REDIS_CA_FILE}, checks
 * the certificate names the host, and never shows the password. A Redis it cannot authenticate to
 * or trust is a Redis that is down: requests go on with local state.
 */
class SecureRedisTest {
  private static final String PASSWORD = "hunter2-redis-pw";
  private static final String ADMIN = "adm-secure-redis";
  private static final String CHAT =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<AutoCloseable> open = new ArrayList<>();
  private Path dir;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    if (dir != null) {
      TempDirs.delete(dir);
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private GatewayUnderTest replica(String id, String url, String... env) {
    GatewayUnderTest.Builder b =
        GatewayUnderTest.builder()
            .file(
                "gateway.yaml",
                "version: 1\nproviders:\n  mock: {type: mock}\n"
                    + "models:\n  m:\n    provider_map: {mock: mock-model}\n")
            .env("GATEWAY_ADMIN_TOKEN", ADMIN)
            .env("GATEWAY_REDIS_URL", url)
            .env("GATEWAY_REDIS_TIMEOUT_MS", "500")
            .env("GATEWAY_REPLICA_ID", id);
    for (int i = 0; i + 1 < env.length; i += 2) {
      b.env(env[i], env[i + 1]);
    }
    return track(b.start());
  }

  private static double redisUp(GatewayUnderTest gw) {
    return PromText.parse(gw.get("/metrics").body()).sum("gateway_redis_up");
  }

  private static int replicasSeen(GatewayUnderTest gw) {
    try {
      JsonNode fleet =
          JSON.readTree(gw.get("/admin/stats", "X-Admin-Token", ADMIN).body()).path("fleet");
      return fleet.path("available").asBoolean() ? fleet.path("replica_count").asInt() : -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void awaitDown(GatewayUnderTest gw) {
    Await.until(Duration.ofSeconds(5), "the replica runs on local state", () -> redisUp(gw) == 0.0);
    assertEquals(200, gw.post("/v1/chat/completions", CHAT).statusCode());
  }

  @Test
  void thePasswordInTheUrlOrItsVariableAuthenticatesAndNeverShows() throws Exception {
    RedisServer redis = track(RedisServer.withPassword(PASSWORD));
    String plain = redis.url();
    GatewayUnderTest one = replica("one", plain.replace("redis://", "redis://:" + PASSWORD + "@"));
    GatewayUnderTest two = replica("two", plain, "GATEWAY_REDIS_PASSWORD", PASSWORD);

    Await.until(
        Duration.ofSeconds(10),
        "both replicas report to the fleet",
        () -> replicasSeen(one) == 2 && replicasSeen(two) == 2);
    for (GatewayUnderTest gw : List.of(one, two)) {
      assertEquals(200, gw.post("/v1/chat/completions", CHAT).statusCode());
      for (String view : List.of("/admin/catalog", "/admin/stats", "/admin/keys", "/metrics")) {
        String body = gw.get(view, "X-Admin-Token", ADMIN).body();
        assertFalse(body.contains(PASSWORD), view + " shows the redis password");
      }
    }
    assertFalse(logsContain(PASSWORD), "a log line holds the redis password");
  }

  @Test
  void aWrongPasswordIsRedisUnavailableNotAFailedRequest() {
    RedisServer redis = track(RedisServer.withPassword(PASSWORD));
    GatewayUnderTest gw =
        replica("one", redis.url(), "GATEWAY_REDIS_PASSWORD", "not-it-" + PASSWORD);
    awaitDown(gw);
    assertFalse(logsContain("not-it-" + PASSWORD), "a log line holds the wrong password");
  }

  @Test
  void rediss_WithThePrivateCaOfGatewayRedisCaFileIsTrusted() throws Exception {
    TestPki pki = new TestPki("Redis CA");
    dir = Files.createTempDirectory("gw-redis-ca");
    Path ca = pki.writeCaPem(dir.resolve("redis-ca.pem"));
    RedisServer redis = track(RedisServer.withTls(pki));
    GatewayUnderTest one = replica("one", redis.url(), "GATEWAY_REDIS_CA_FILE", ca.toString());
    GatewayUnderTest two = replica("two", redis.url(), "GATEWAY_CA_FILE", ca.toString());
    Await.until(
        Duration.ofSeconds(10),
        "both replicas report to the fleet over TLS",
        () -> replicasSeen(one) == 2 && replicasSeen(two) == 2);
    assertEquals(1.0, redisUp(one));
  }

  @Test
  void rediss_WithACertificateNoCaVouchesForIsRefused() {
    RedisServer redis = track(RedisServer.withTls(new TestPki("Unknown CA")));
    awaitDown(replica("one", redis.url()));
  }

  @Test
  void rediss_WithACertificateForAnotherHostIsRefused() throws Exception {
    TestPki pki = new TestPki("Redis CA");
    dir = Files.createTempDirectory("gw-redis-ca");
    Path ca = pki.writeCaPem(dir.resolve("redis-ca.pem"));
    RedisServer redis = track(RedisServer.withTls(pki));
    // the certificate names 127.0.0.1 only
    awaitDown(
        replica(
            "one",
            redis.url().replace("127.0.0.1", "localhost"),
            "GATEWAY_REDIS_CA_FILE",
            ca.toString()));
  }

  private static boolean logsContain(String secret) {
    return LogFiles.anyContains(secret);
  }
}
