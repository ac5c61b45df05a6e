package org.llmgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * The {@code main} of a child JVM that runs one embedded Tomcat (10.1 or 11, whichever jars are on
 * its class path) with the WAR deployed, as an operator's container would: its own system
 * properties, environment and working directory, no gateway class on its class path. Started by
 * {@link TomcatProcess}; compiled against Tomcat 11 and using only the embedding API that Tomcat
 * 10.1 has too.
 *
 * <p>Arguments: {@code PORT_FILE WAR BASE_DIR CONTEXT_PATH [NAME=VALUE]...}, the pairs being
 * context init-params (as {@code <Parameter override="false"/>} in a context XML). Writes the HTTP
 * port to {@code PORT_FILE} once deployed; stops Tomcat and exits when its standard input ends.
 */
public final class TomcatMain {
  private TomcatMain() {}

  public static void main(String[] args) throws Exception {
    Path portFile = Path.of(args[0]);
    Path base = Files.createDirectories(Path.of(args[2]));
    Files.createDirectories(base.resolve("webapps"));
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("useVirtualThreads", "true");
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    Context context = tomcat.addWebapp(args[3], Path.of(args[1]).toAbsolutePath().toString());
    ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
    for (int i = 4; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      ApplicationParameter parameter = new ApplicationParameter();
      parameter.setName(args[i].substring(0, eq));
      parameter.setValue(args[i].substring(eq + 1));
      parameter.setOverride(false);
      context.addApplicationParameter(parameter);
    }
    tomcat.start();
    if (!context.getState().isAvailable()) {
      System.err.println("the web application failed to deploy: " + context.getState());
      tomcat.stop();
      System.exit(3);
    }
    Path partial = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(partial, Integer.toString(connector.getLocalPort()));
    Files.move(partial, portFile); // appears whole
    waitForEndOfInput(System.in);
    tomcat.stop();
    tomcat.destroy();
    System.exit(0);
  }

  private static void waitForEndOfInput(InputStream in) throws IOException {
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // the parent only ever closes the stream
    }
  }
}
