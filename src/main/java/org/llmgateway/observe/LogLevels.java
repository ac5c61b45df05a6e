package org.llmgateway.observe;

import org.apache.logging.log4j.Level;

/**
 * The levels of the access and upstream lines: as severe as {@code INFO} (so every filter treats
 * them alike), but named, so that {@link LogDropPolicy} can tell which log a line it must drop
 * belongs to.
 */
public final class LogLevels {
  public static final Level ACCESS = Level.forName("ACCESS", Level.INFO.intLevel());
  public static final Level UPSTREAM = Level.forName("UPSTREAM", Level.INFO.intLevel());

  private LogLevels() {}
}
