package org.llmgateway.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NetworkFailureTest {
  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            new IOException("Too many open files"),
            true,
            "I/O error: IOException (Too many open files)"),
        Arguments.of(
            new IOException(new SocketException("Too many open files in system")),
            true,
            "I/O error: SocketException (Too many open files in system)"),
        Arguments.of(
            new SocketException(
                "No buffer space available (maximum connections reached?): connect"),
            true,
            "I/O error: SocketException"),
        Arguments.of(
            new IOException(new BindException("Cannot assign requested address")),
            true,
            "I/O error: BindException (Cannot assign requested address)"),
        Arguments.of(new ConnectException("Connection refused"), false, "connection refused"),
        Arguments.of(new IOException("Connection reset by peer"), false, "connection reset"),
        Arguments.of(
            new HttpConnectTimeoutException("HTTP connect timed out"), false, "connect timeout"),
        Arguments.of(
            new HttpTimeoutException("request timed out"),
            false,
            "timeout waiting for response headers"),
        Arguments.of(
            new IOException(new SSLHandshakeException("PKIX path building failed: sk-secret")),
            false,
            "TLS handshake failed"),
        Arguments.of(
            new IOException("HTTP/1.1 header parser received no bytes from 10.0.0.7:443"),
            false,
            "I/O error: IOException"));
  }

  @ParameterizedTest(name = "{0} local={1}")
  @MethodSource("failures")
  void aFailureIsNamedBrieflyAndLocalExhaustionIsToldApart(
      IOException e, boolean local, String described) {
    assertEquals(local, NetworkFailure.isLocal(e));
    assertEquals(described, NetworkFailure.describe(e));
  }
}
