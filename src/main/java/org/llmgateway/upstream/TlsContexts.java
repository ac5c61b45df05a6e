package org.llmgateway.upstream;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.llmgateway.config.ExtraTrust;

/**
 * The TLS contexts of upstream clients: the JDK's trust store plus extra CAs, or no verification at
 * all.
 */
final class TlsContexts {
  private TlsContexts() {}

  /**
   * The JDK's default context when there is nothing to add, else one trusting the JDK's CAs and
   * {@code extra}.
   */
  static SSLContext forProfile(TransportProfile profile) {
    try {
      if (!profile.verifyTls()) {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
        return ssl;
      }
      return ExtraTrust.context(profile.extraTrust());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the TLS context for upstream connections", e);
    }
  }

  /**
   * For {@code ssl_verify: false}: accepts any certificate and host name, as the operator asked.
   */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
