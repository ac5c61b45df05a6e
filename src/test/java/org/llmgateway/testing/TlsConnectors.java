package org.llmgateway.testing;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** TLS connectors for {@link FakeUpstream}: HTTP/1.1 only, or h2 and http/1.1 offered by ALPN. */
final class TlsConnectors {
  private TlsConnectors() {}

  static ServerConnector create(Server server, TestPki.Leaf leaf, boolean http2, int maxStreams) {
    HttpConfiguration http = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // clients reach it by IP address, where there is no SNI to check
    http.addCustomizer(secure);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(leaf.keyStore());
    ssl.setKeyStorePassword(new String(TestPki.STORE_PASSWORD));
    HttpConnectionFactory http1 = new HttpConnectionFactory(http);
    if (!http2) {
      return new ServerConnector(server, new SslConnectionFactory(ssl, http1.getProtocol()), http1);
    }
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
    if (maxStreams > 0) {
      h2.setMaxConcurrentStreams(maxStreams);
    }
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(http1.getProtocol());
    return new ServerConnector(
        server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http1);
  }

  static void goAway(ServerConnector connector) {
    for (EndPoint endPoint : connector.getConnectedEndPoints()) {
      Connection c = endPoint.getConnection();
      if (c instanceof SslConnection ssl) {
        c = ssl.getSslEndPoint().getConnection();
      }
      if (c instanceof HTTP2Connection h2) {
        h2.getSession().shutdown();
      }
    }
  }
}
