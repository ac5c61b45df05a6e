package org.llmgateway.relay;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;
import org.llmgateway.upstream.TransportException;

/** Names a network-level failure briefly, for logs and the 502 message. Never includes headers or keys. */
final class NetworkFailure {
  /** How the JDK client words an HTTP/2 stream reset by the server. */
  private static final String RST_STREAM = "Received RST_STREAM: ";

  private NetworkFailure() {}

  /**
   * Whether the failure is the gateway's own (out of file descriptors or memory for sockets), not the provider's: such
   * a failure must not open the provider's circuit or cool its key.
   */
  static boolean isLocal(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (t instanceof TransportException te && te.local()) {
        return true;
      }
      if (m != null && (m.contains("Too many open files") || m.contains("No buffer space available")
          || m.contains("Cannot assign requested address"))) {
        return true;
      }
    }
    return false;
  }

  static boolean isTimeout(IOException e) {
    return e instanceof java.net.http.HttpTimeoutException;
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
    if (msg != null && msg.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
      return "connection reset";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String detail = root.getMessage();
    // a short fixed-vocabulary message ("Broken pipe", "Too many open files") helps; addresses and paths stay out
    boolean plain = detail != null && detail.length() <= 60 && detail.matches("[A-Za-z ,()'-]+");
    return "I/O error: " + root.getClass().getSimpleName() + (plain ? " (" + detail + ")" : "");
  }
}
