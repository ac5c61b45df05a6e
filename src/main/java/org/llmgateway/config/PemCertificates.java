package org.llmgateway.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a PEM bundle of CA certificates (text between the blocks, as in curl's {@code cacert.pem},
 * is allowed). Every problem names the file and which certificate; the file's content is never
 * echoed (it might be a private key).
 */
public final class PemCertificates {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");

  private PemCertificates() {}

  /**
   * The certificates of {@code file}; problems go to {@code error} (already prefixed with nothing:
   * a sentence).
   */
  public static List<X509Certificate> read(Path file, Consumer<String> error) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      error.accept("cannot read CA file " + file + ": " + e.getClass().getSimpleName());
      return List.of();
    } catch (RuntimeException e) {
      error.accept("CA file " + file + " is not a text PEM file");
      return List.of();
    }
    List<X509Certificate> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
    int index = 0;
    while (m.find()) {
      index++;
      try {
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        X509Certificate cert =
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        cert.checkValidity();
        out.add(cert);
      } catch (CertificateExpiredException e) {
        error.accept(
            "CA file "
                + file
                + ": certificate #"
                + index
                + " ("
                + subject(m, factory)
                + ") has expired");
      } catch (CertificateNotYetValidException e) {
        error.accept(
            "CA file "
                + file
                + ": certificate #"
                + index
                + " ("
                + subject(m, factory)
                + ") is not valid yet");
      } catch (CertificateException | IllegalArgumentException e) {
        error.accept(
            "CA file " + file + ": certificate #" + index + " is not a valid X.509 certificate");
      }
    }
    if (index == 0) {
      error.accept(
          "CA file " + file + " contains no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return List.copyOf(out);
  }

  private static String subject(Matcher m, CertificateFactory factory) {
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      return ((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)))
          .getSubjectX500Principal()
          .getName();
    } catch (CertificateException | IllegalArgumentException e) {
      return "unreadable subject";
    }
  }
}
