package org.llmgateway.observe;

/** Minimal JSON writing for log lines, formatted on the logger thread. */
final class JsonLine {
  private final StringBuilder sb;
  private boolean first = true;

  JsonLine(int capacity) {
    sb = new StringBuilder(capacity).append('{');
  }

  JsonLine field(String name, String value) {
    key(name);
    if (value == null) {
      sb.append("null");
    } else {
      string(sb, value);
    }
    return this;
  }

  JsonLine field(String name, long value) {
    key(name);
    sb.append(value);
    return this;
  }

  JsonLine field(String name, boolean value) {
    key(name);
    sb.append(value);
    return this;
  }

  JsonLine millis(String name, double value) {
    key(name);
    sb.append(Math.round(value * 1000) / 1000.0);
    return this;
  }

  /** Appends an already-serialised JSON value. */
  JsonLine raw(String name, String json) {
    key(name);
    sb.append(json);
    return this;
  }

  private void key(String name) {
    if (!first) {
      sb.append(',');
    }
    first = false;
    string(sb, name);
    sb.append(':');
  }

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  @Override
  public String toString() {
    return sb.append('}').toString();
  }
}
