package org.llmgateway.upstream;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** Names why a TLS connection to a provider failed, in words an operator can act on. */
final class TlsFailure {
  private TlsFailure() {}

  /** The SSL failure in {@code e}'s causes, if any. */
  static Optional<SSLException> find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException s) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /**
   * A {@code TLS: ...} reason for {@code e} (a failure whose causes include an {@link
   * SSLException}).
   */
  static String describe(Throwable e, String host) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException
          || t instanceof CertificateNotYetValidException) {
        return "TLS: the certificate of " + host + " is expired or not yet valid";
      }
      if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
        return "TLS: the certificate of "
            + host
            + " is not trusted (no chain to a trusted CA; see ca_file)";
      }
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("no subject alternative") || m.contains("no name matching")) {
        return "TLS: the certificate does not match the host name " + host;
      }
      if (m.contains("unable to find valid certification path")) {
        return "TLS: the certificate of "
            + host
            + " is not trusted (no chain to a trusted CA; see ca_file)";
      }
      if (m.contains("no application protocol")) {
        return "TLS: no common application protocol (ALPN) with " + host;
      }
      if (m.startsWith("received fatal alert: ")) {
        return "TLS: "
            + host
            + " refused the handshake ("
            + m.substring("received fatal alert: ".length())
            + ")";
      }
      if (m.contains("unsupported or unrecognized ssl message")
          || m.contains("plaintext connection")) {
        return "TLS: " + host + " does not speak TLS on this port";
      }
    }
    return "TLS: handshake with " + host + " failed";
  }
}
