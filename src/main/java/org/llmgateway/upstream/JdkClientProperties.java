package org.llmgateway.upstream;

/**
 * JVM-wide properties of the JDK HTTP client, read once when its classes initialise: set here,
 * before the first client is built, unless the operator set them on the command line ({@code -D...}
 * wins).
 */
final class JdkClientProperties {
  /**
   * Idle HTTP/1.1 connections close after this many seconds: below the shortest keep-alive timeouts
   * providers use (uvicorn and Node.js close after 5 s, nginx after 75 s), so that a pooled
   * connection is not one the provider already closed.
   */
  static final String HTTP1_IDLE_SECONDS = "4";

  /**
   * Idle HTTP/2 connections: a provider closing one sends GOAWAY, which the client handles, so they
   * live longer.
   */
  static final String HTTP2_IDLE_SECONDS = "30";

  private JdkClientProperties() {}

  static void apply() {
    setIfAbsent("jdk.httpclient.keepalive.timeout", HTTP1_IDLE_SECONDS);
    setIfAbsent("jdk.httpclient.keepalive.timeout.h2", HTTP2_IDLE_SECONDS);
    // The JDK drops a Basic Proxy-Authorization header from CONNECT by default (a guard against
    // Authenticators
    // answering any proxy's challenge). The gateway sends it pre-emptively, only to the proxy the
    // operator configured.
    setIfAbsent("jdk.http.auth.tunneling.disabledSchemes", "");
  }

  private static void setIfAbsent(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }
}
