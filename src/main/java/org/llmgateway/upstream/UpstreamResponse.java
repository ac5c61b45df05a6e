package org.llmgateway.upstream;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An upstream answer whose body has not been read. Closing it releases (or aborts) the upstream
 * exchange; closing from another thread makes a blocked read fail, which is how stalls are cut.
 */
public interface UpstreamResponse extends AutoCloseable {
  int status();

  /** Response headers, names in lower case. */
  Map<String, List<String>> headers();

  InputStream body();

  /**
   * The request body as it went to the provider, when it differs from the one the attempt was given
   * (a translated request); empty otherwise.
   */
  default Optional<byte[]> bodySent() {
    return Optional.empty();
  }

  default Optional<String> header(String lowerCaseName) {
    List<String> values = headers().get(lowerCaseName);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  default boolean isEventStream() {
    return header("content-type")
        .map(c -> c.toLowerCase(Locale.ROOT).startsWith("text/event-stream"))
        .orElse(false);
  }

  @Override
  void close();
}
