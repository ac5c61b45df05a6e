package org.llmgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small in-process HTTP proxy on 127.0.0.1, port 0: {@code CONNECT host:port} opens a tunnel
 * (bytes copied both ways, TLS passes through untouched). With {@code requiredAuthorization} set, a
 * CONNECT without exactly that {@code Proxy-Authorization} value gets 407. Every request head it
 * received is recorded.
 */
public final class ConnectProxy implements AutoCloseable {
  /**
   * A received proxy request: its first line and its {@code Proxy-Authorization} value (or null).
   */
  public record Seen(String requestLine, String proxyAuthorization) {}

  private final ServerSocket server;
  private final String requiredAuthorization;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public ConnectProxy(String requiredAuthorization) {
    this.requiredAuthorization = requiredAuthorization;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = Thread.ofVirtual().name("connect-proxy").start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        Thread.ofVirtual().start(() -> handle(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      List<String> head = readHead(in);
      if (head.isEmpty()) {
        return;
      }
      String auth = null;
      for (String line : head.subList(1, head.size())) {
        int colon = line.indexOf(':');
        if (colon > 0
            && line.substring(0, colon)
                .trim()
                .toLowerCase(Locale.ROOT)
                .equals("proxy-authorization")) {
          auth = line.substring(colon + 1).trim();
        }
      }
      seen.add(new Seen(head.get(0), auth));
      OutputStream out = client.getOutputStream();
      String[] parts = head.get(0).split(" ");
      if (!parts[0].equals("CONNECT")) {
        out.write(
            "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (requiredAuthorization != null && !requiredAuthorization.equals(auth)) {
        out.write(
            ("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return;
      }
      int colon = parts[1].lastIndexOf(':');
      try (Socket target =
          new Socket(
              parts[1].substring(0, colon), Integer.parseInt(parts[1].substring(colon + 1)))) {
        sockets.add(target);
        out.write(
            "HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread up = Thread.ofVirtual().start(() -> pipe(in, target));
        pipe(target.getInputStream(), client);
        up.join();
      }
    } catch (IOException | InterruptedException e) {
      // a tunnel ends when either side closes
    }
  }

  private static void pipe(InputStream from, Socket to) {
    try {
      from.transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // the other direction notices
    }
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.US_ASCII).stripTrailing();
        line.reset();
        if (s.isEmpty()) {
          return lines;
        }
        lines.add(s);
      } else {
        line.write(b);
      }
    }
    return lines;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    acceptor.interrupt();
  }
}
