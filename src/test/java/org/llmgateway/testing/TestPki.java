package org.llmgateway.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway PKI made at test time (no private key is ever committed): a CA, and leaf certificates
 * it signs for given host names and IP addresses. EC P-256 keys, so generating them takes
 * milliseconds.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** Password of the in-memory key stores handed to test servers. */
  public static final char[] STORE_PASSWORD = "test-only".toCharArray();

  private final KeyPair caKeys;
  private final X509Certificate ca;

  /** A certificate with its key, in a key store a TLS server can use. */
  public record Leaf(X509Certificate certificate, KeyStore keyStore) {}

  public TestPki(String caName) {
    try {
      caKeys = keyPair();
      X500Name name = new X500Name("CN=" + caName);
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(2))),
              name,
              caKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      ca = sign(b);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate ca() {
    return ca;
  }

  /** A server certificate for {@code names}: IP literals become IP SANs, the rest DNS SANs. */
  public Leaf leaf(String... names) {
    try {
      KeyPair keys = keyPair();
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              new X500Name(ca.getSubjectX500Principal().getName()),
              serial(),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              new X500Name("CN=" + names[0]),
              keys.getPublic());
      List<GeneralName> sans = new ArrayList<>();
      for (String n : names) {
        sans.add(
            n.matches("[0-9.]+")
                ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(n).getHostAddress())
                : new GeneralName(GeneralName.dNSName, n));
      }
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(sans.toArray(GeneralName[]::new)));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate cert = sign(b);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "server", keys.getPrivate(), STORE_PASSWORD, new X509Certificate[] {cert, ca});
      return new Leaf(cert, store);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes a leaf's certificate and private key as PEM files, for servers configured by files
   * (redis-server's {@code --tls-cert-file} and {@code --tls-key-file}).
   */
  public static void writeLeafPem(Leaf leaf, Path certFile, Path keyFile) {
    try {
      StringWriter cert = new StringWriter();
      try (JcaPEMWriter pem = new JcaPEMWriter(cert)) {
        pem.writeObject(leaf.certificate());
      }
      Files.writeString(certFile, cert.toString());
      // PKCS#8, as OpenSSL 3 reads it (the Java encoding of a private key)
      byte[] pkcs8 = leaf.keyStore().getKey("server", STORE_PASSWORD).getEncoded();
      Files.writeString(
          keyFile,
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(pkcs8)
              + "\n-----END PRIVATE KEY-----\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the CA certificate (never a key) as PEM to {@code file}. */
  public Path writeCaPem(Path file) {
    try {
      StringWriter out = new StringWriter();
      try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
        pem.writeObject(ca);
      }
      Files.writeString(file, out.toString());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private X509Certificate sign(X509v3CertificateBuilder b)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }
}
