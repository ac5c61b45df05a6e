package org.llmgateway.relay;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.llmgateway.upstream.TransportException;

/**
 * Names a network-level failure briefly, for logs and the 502 message. Never includes headers or
 * keys.
 */
final class NetworkFailure {
  /** How the JDK client words an HTTP/2 stream reset by the server. */
  private static final String RST_STREAM = "Received RST_STREAM: ";

  private NetworkFailure() {}

  /**
   * The errors that mean the gateway itself ran out of something, by errno, with the text the JDK
   * reports for each: it carries no errno, only the C library's {@code strerror} message (glibc's
   * English texts; a JVM started with a translated {@code LC_MESSAGES} would report them in that
   * language, which is why the run script and the image do not set one). Missing one only means a
   * local shortage is counted against the provider.
   */
  static final Map<String, String> LOCAL_EXHAUSTION =
      Map.of(
          "EMFILE", "Too many open files",
          "ENFILE", "Too many open files in system",
          "ENOBUFS", "No buffer space available",
          "ENOMEM", "Cannot allocate memory",
          "EADDRNOTAVAIL", "Cannot assign requested address");

  /**
   * Whether the failure is the gateway's own (out of file descriptors, socket buffers or local
   * ports), not the provider's: such a failure must not open the provider's circuit or cool its
   * key. A {@link BindException} on a connect is always local (no local address or port could be
   * bound).
   */
  static boolean isLocal(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TransportException te && te.local()) {
        return true;
      }
      if (t instanceof BindException) {
        return true;
      }
      String m = t.getMessage();
      if (m != null) {
        for (String text : LOCAL_EXHAUSTION.values()) {
          if (m.contains(text)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  static boolean isTimeout(IOException e) {
    return e instanceof HttpTimeoutException;
  }

  static String describe(IOException e) {
    if (e instanceof TransportException te) {
      return te.reason();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException) {
        return "connect timeout";
      }
      if (t instanceof HttpTimeoutException) {
        return "timeout waiting for response headers";
      }
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "DNS lookup failed";
      }
      if (t instanceof SSLException) {
        return "TLS handshake failed";
      }
      if (t instanceof ConnectException) {
        return "connection refused";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.startsWith(RST_STREAM)) {
        return "stream reset by the provider (RST_STREAM " + m.substring(RST_STREAM.length()) + ")";
      }
    }
    String msg = e.getMessage();
    if (msg != null && msg.toLowerCase(Locale.ROOT).contains("reset")) {
      return "connection reset";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String detail = root.getMessage();
    // a short fixed-vocabulary message ("Broken pipe", "Too many open files") helps; addresses and
    // paths stay out
    boolean plain = detail != null && detail.length() <= 60 && detail.matches("[A-Za-z ,()'-]+");
    return "I/O error: " + root.getClass().getSimpleName() + (plain ? " (" + detail + ")" : "");
  }
}
