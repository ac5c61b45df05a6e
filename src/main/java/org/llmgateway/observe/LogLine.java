package org.llmgateway.observe;

import org.apache.logging.log4j.message.Message;

/**
 * A log line formatted lazily on the logger's thread: subclasses give only {@link
 * #getFormattedMessage()}. The data they format must not change after the line is handed to the
 * logger.
 */
abstract class LogLine implements Message {
  private static final long serialVersionUID = 1L;

  /** Required by {@link Message} (deprecated there, still abstract). */
  @Override
  @SuppressWarnings("deprecation")
  public final String getFormat() {
    return "";
  }

  @Override
  public final Object[] getParameters() {
    return null;
  }

  @Override
  public final Throwable getThrowable() {
    return null;
  }
}
