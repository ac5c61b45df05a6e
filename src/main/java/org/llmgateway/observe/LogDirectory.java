package org.llmgateway.observe;

import java.nio.file.Path;
import java.util.function.Function;
import org.apache.logging.log4j.core.lookup.MainMapLookup;

/**
 * Hands {@code GATEWAY_LOG_DIR}, found by the gateway's settings lookup (in the WAR: system
 * property, environment variable or context init-param), to Log4j, which {@code log4j2.xml} reads
 * first as {@code ${main:gateway.log.dir}}; without it Log4j falls back to {@code
 * -Dgateway.log.dir}, then the environment, then {@code ./logs}. Must run before the first logger
 * is created: Log4j resolves the file names once, when it starts. The value lives in this copy of
 * Log4j (a static of its main-arguments lookup), so in a servlet container each web application
 * with its own Log4j keeps its own directory and nothing is left in the JVM's system properties
 * after an undeploy.
 */
public final class LogDirectory {
  /** The key {@code log4j2.xml} looks up with the {@code main:} prefix. */
  public static final String KEY = "gateway.log.dir";

  /** The settings' name of the log directory. */
  public static final String SETTING = "GATEWAY_LOG_DIR";

  private LogDirectory() {}

  /**
   * Call before anything touches Log4j. Does nothing when {@code settings} has no {@value
   * #SETTING}; a relative directory is made absolute against the working directory.
   */
  public static void handToLog4j(Function<String, String> settings) {
    String dir = settings.apply(SETTING);
    if (dir != null && !dir.isBlank()) {
      MainMapLookup.setMainArguments(KEY, Path.of(dir.trim()).toAbsolutePath().toString());
    }
  }
}
