package org.llmgateway;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.llmgateway.core.Settings;
import org.llmgateway.observe.LogDirectory;

/**
 * Runs the gateway inside a servlet container (the WAR; declared in {@code WEB-INF/web.xml}).
 * Settings come from system properties, then the environment, then context init-params: the first
 * source that has a name wins. The gateway's servlet is registered on {@code /*} and runs on the
 * container's request threads (virtual threads when the container is set up for them). A
 * configuration that does not load does not fail the deployment: {@code /readyz} answers 503 with
 * the errors and the configuration watcher keeps trying until the files are fixed. Undeploy stops
 * everything the gateway started, so the web application's class loader can be collected.
 */
public final class WebAppListener implements ServletContextListener {
  /**
   * Context-param: {@code true} makes undeploy stop this web app's Log4j (the WAR carries its own
   * copy).
   */
  public static final String SHUTDOWN_LOG4J = "log4j.shutdownOnDestroy";

  private static final Duration LOG4J_STOP_TIMEOUT = Duration.ofSeconds(10);

  private Service service;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext ctx = event.getServletContext();
    Function<String, String> lookup =
        Settings.fromSources(System::getProperty, System::getenv, ctx::getInitParameter);
    Settings settings = Settings.from(lookup);
    // Before the first logger: Log4j fixes its file names when it starts (hence no static logger in
    // this class)
    LogDirectory.handToLog4j(lookup);
    // an invalid configuration does not fail the deployment: /readyz answers 503 and the watcher
    // keeps trying
    service = Service.start(settings, Clock.systemUTC(), false);
    ctx.addServlet("gateway", service.servlet()).addMapping("/*");
    LogManager.getLogger(WebAppListener.class)
        .info(
            "LLM Gateway Lite deployed at context path '{}' on {} (Servlet" + " {}.{})",
            ctx.getContextPath(),
            ctx.getServerInfo(),
            ctx.getEffectiveMajorVersion(),
            ctx.getEffectiveMinorVersion());
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (service != null) {
      service.close();
    }
    LogManager.getLogger(WebAppListener.class)
        .info("LLM Gateway Lite undeployed from '{}'", event.getServletContext().getContextPath());
    if (Boolean.parseBoolean(event.getServletContext().getInitParameter(SHUTDOWN_LOG4J))) {
      // with a timeout Log4j waits for its own threads (the rollover scheduler) to end before the
      // container
      // checks for threads the web app left behind
      Configurator.shutdown(
          (LoggerContext) LogManager.getContext(false),
          LOG4J_STOP_TIMEOUT.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }
}
