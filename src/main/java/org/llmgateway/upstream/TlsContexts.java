package org.llmgateway.upstream;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

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
      if (profile.extraTrust().isEmpty()) {
        return SSLContext.getDefault();
      }
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {withExtraTrust(profile.extraTrust())}, new SecureRandom());
      return ssl;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS context for upstream connections", e);
    }
  }

  /**
   * One trust store holding the JDK's default CAs and {@code extra}: added to, never replacing, the
   * defaults.
   */
  private static TrustManager withExtraTrust(List<X509Certificate> extra)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
      store.setCertificateEntry("jdk-" + i++, ca);
    }
    i = 0;
    for (X509Certificate ca : extra) {
      store.setCertificateEntry("extra-" + i++, ca);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf.getTrustManagers()[0];
  }

  private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("the JDK has no default X.509 trust manager");
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
