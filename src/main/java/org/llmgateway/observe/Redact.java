package org.llmgateway.observe;

import java.util.Locale;

/** Decides which header values are shown as {@code ***} in logs and admin views. */
public final class Redact {
  public static final String MASK = "***";

  private Redact() {}

  /**
   * Whether a header carries a secret, judged by its name ({@code Authorization}, {@code *key*},
   * tokens...).
   */
  public static boolean secretLooking(String header) {
    String h = header.toLowerCase(Locale.ROOT);
    return h.equals("authorization")
        || h.contains("key")
        || h.contains("token")
        || h.contains("secret")
        || h.contains("cookie")
        || h.contains("signature")
        || h.contains("password")
        || h.contains("auth");
  }

  /** The value to show for a configured header: masked when the name or the value looks secret. */
  public static String headerValue(String name, String value) {
    if (secretLooking(name)) {
      return MASK;
    }
    String v = value.trim();
    return v.startsWith("sk-")
            || v.regionMatches(true, 0, "Bearer ", 0, 7)
            || v.regionMatches(true, 0, "Basic ", 0, 6)
        ? MASK
        : value;
  }
}
