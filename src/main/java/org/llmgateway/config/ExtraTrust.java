package org.llmgateway.config;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust of the JDK's default CAs plus extra ones ({@code GATEWAY_CA_FILE}, a provider's {@code
 * ca_file}): added to, never replacing, the defaults. Shared by upstream connections and the
 * fleet's Redis.
 */
public final class ExtraTrust {
  private ExtraTrust() {}

  /** The JDK's default context when {@code extra} is empty, else one trusting both. */
  public static SSLContext context(List<X509Certificate> extra) {
    try {
      if (extra.isEmpty()) {
        return SSLContext.getDefault();
      }
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {trustManager(extra)}, new SecureRandom());
      return ssl;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context with the extra CAs", e);
    }
  }

  private static TrustManager trustManager(List<X509Certificate> extra)
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
}
