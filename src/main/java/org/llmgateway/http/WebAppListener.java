package org.llmgateway.http;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Clock;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.llmgateway.ConfigWatcher;
import org.llmgateway.Gateway;
import org.llmgateway.Ops;
import org.llmgateway.Settings;
import org.llmgateway.observe.LogDirectory;

/**
 * Runs the gateway inside a servlet container (the WAR; declared in {@code WEB-INF/web.xml}). Settings come from
 * system properties, then the environment, then context init-params: the first source that has a name wins. The
 * {@link GatewayServlet} is registered on {@code /*} and runs on the container's request threads (virtual threads
 * when the container is set up for them). A configuration that does not load does not fail the deployment:
 * {@code /readyz} answers 503 with the errors and the {@link ConfigWatcher} keeps trying until the files are fixed.
 */
public final class WebAppListener implements ServletContextListener {
  /** Context-param: {@code true} makes undeploy stop this web app's Log4j (the WAR carries its own copy). */
  public static final String SHUTDOWN_LOG4J = "log4j.shutdownOnDestroy";

  private Gateway gateway;
  private ConfigWatcher watcher;
  private Ops ops;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext ctx = event.getServletContext();
    Function<String, String> lookup = Settings.fromSources(System::getProperty, System::getenv, ctx::getInitParameter);
    Settings settings = Settings.from(lookup);
    // Before the first logger: Log4j fixes its file names when it starts (hence no static logger in this class)
    LogDirectory.handToLog4j(lookup);
    Logger log = LogManager.getLogger(WebAppListener.class);
    ops = Ops.create(settings, Clock.systemUTC());
    gateway = ops.gateway();
    Gateway.Reload first = gateway.reload();
    if (!first.ok()) {
      // Gateway.reload() has logged every error; the deployment goes on and the watcher retries
      log.error("deployed without a valid configuration from {}: /readyz answers 503 until it is fixed",
          settings.configFile().orElse(settings.configDir()).toAbsolutePath());
    }
    ops.start(); // stats and key cooldowns from GATEWAY_STATS_SNAPSHOT_PATH, if set
    watcher = ConfigWatcher.start(gateway);
    ctx.addServlet("gateway", new GatewayServlet(gateway, ops.metricsEndpoint(), ops.adminEndpoint()))
        .addMapping("/*");
    log.info("LLM Gateway Lite deployed at context path '{}' on {} (Servlet {}.{})", ctx.getContextPath(),
        ctx.getServerInfo(), ctx.getEffectiveMajorVersion(), ctx.getEffectiveMinorVersion());
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (watcher != null) {
      watcher.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (ops != null) {
      ops.stop();
    }
    LogManager.getLogger(WebAppListener.class)
        .info("LLM Gateway Lite undeployed from '{}'", event.getServletContext().getContextPath());
    if (Boolean.parseBoolean(event.getServletContext().getInitParameter(SHUTDOWN_LOG4J))) {
      Configurator.shutdown((LoggerContext) LogManager.getContext(false));
    }
  }
}
