package org.llmgateway.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An embedded Tomcat in a child JVM ({@link TomcatMain}) with the WAR deployed: the way to run a
 * Tomcat version other than the test class path's (10.1 beside 11) and to give a deployment its own
 * environment variables, system properties and working directory. The Tomcat jars come from a
 * directory (failsafe copies them per version into {@code target/containers/}). {@link #close()}
 * stops Tomcat gracefully, so the web app's logs are flushed.
 */
public final class TomcatProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path output;
  private final int port;

  private TomcatProcess(Process process, Path output, int port) {
    this.process = process;
    this.output = output;
    this.port = port;
  }

  /**
   * What to start: the Tomcat jars, the WAR, a scratch directory, and the settings of the
   * deployment.
   */
  public static final class Builder {
    private final Path tomcatJars;
    private final Path war;
    private final Path scratch;
    private final Map<String, String> initParams = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String contextPath = "/gw";

    private Builder(Path tomcatJars, Path war, Path scratch) {
      this.tomcatJars = tomcatJars;
      this.war = war;
      this.scratch = scratch;
    }

    public Builder contextPath(String path) {
      contextPath = path;
      return this;
    }

    public Builder initParam(String name, String value) {
      initParams.put(name, value);
      return this;
    }

    public Builder systemProperty(String name, String value) {
      systemProperties.put(name, value);
      return this;
    }

    public Builder env(String name, String value) {
      environment.put(name, value);
      return this;
    }

    /**
     * Starts the child JVM (working directory {@code scratch/cwd}) and waits until the WAR is
     * deployed.
     */
    public TomcatProcess start() throws IOException, InterruptedException {
      Path cwd = Files.createDirectories(scratch.resolve("cwd"));
      Path portFile = scratch.resolve("port");
      Path output = scratch.resolve("tomcat-output.log");
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-Xshare:auto",
                  "-XX:TieredStopAtLevel=1")); // C1 only: a short-lived container starts faster
      systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
      String testClasses =
          Path.of(TomcatMain.class.getProtectionDomain().getCodeSource().getLocation().getPath())
              .toString();
      command.addAll(
          List.of(
              "-cp",
              tomcatJars.toAbsolutePath() + "/*" + File.pathSeparator + testClasses,
              TomcatMain.class.getName(),
              portFile.toString(),
              war.toAbsolutePath().toString(),
              scratch.resolve("tomcat").toString(),
              contextPath));
      initParams.forEach((k, v) -> command.add(k + "=" + v));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(cwd.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      // a clean environment apart from what the test gives, so the runner's own GATEWAY_* cannot
      // leak in
      builder.environment().keySet().removeIf(name -> name.startsWith("GATEWAY_"));
      builder.environment().putAll(environment);
      Process process = builder.start();
      try {
        Await.until(
            START_TIMEOUT,
            "Tomcat in the child JVM deployed the WAR",
            () -> Files.exists(portFile) || !process.isAlive(),
            () -> tail(output));
        if (!process.isAlive()) {
          throw new AssertionError(
              "the child JVM exited with " + process.exitValue() + ":\n" + tail(output));
        }
        return new TomcatProcess(
            process, output, Integer.parseInt(Files.readString(portFile).trim()));
      } catch (RuntimeException | Error e) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        throw e;
      }
    }
  }

  /** {@code tomcatJars}: a directory of Tomcat's embedded jars (one version). */
  public static Builder builder(Path tomcatJars, Path war, Path scratch) {
    return new Builder(tomcatJars, war, scratch);
  }

  public int port() {
    return port;
  }

  /** Everything the child JVM printed so far (Tomcat's log and the gateway's stdout). */
  public String output() {
    return tail(output);
  }

  /** Stops Tomcat (undeploying the WAR) and waits for the JVM to exit. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close(); // TomcatMain stops when its input ends
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            "Tomcat did not stop within " + STOP_TIMEOUT + ":\n" + tail(output));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping Tomcat", e);
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }

  /** The exit code, once {@link #close()} returned. */
  public int exitCode() {
    return process.exitValue();
  }

  private static String tail(Path file) {
    try {
      String text = Files.exists(file) ? Files.readString(file) : "";
      return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
