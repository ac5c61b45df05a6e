package org.llmgateway.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless {@code chromium} driven through {@code chromedriver} (both installed by {@code
 * src/scripts/test.sh}), with a fresh profile directory that {@link #close()} deletes. Nothing is
 * downloaded: a missing browser fails the test with the command that installs it, never a silent
 * skip.
 */
public final class Chromium implements AutoCloseable {
  public static final Path BROWSER = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration WAIT_POLL = Duration.ofMillis(50);

  private final ChromeDriver driver;
  private final Path profile;

  private Chromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** A browser with a {@code width} x {@code height} window. */
  public static Chromium start(int width, int height) {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException(
          "the console's browser tests need "
              + BROWSER
              + " and "
              + DRIVER
              + ": run src/scripts/test.sh as root (it installs them) or `apt-get install -y chromium chromium-driver`");
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("chromium-profile");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height,
        "--lang=en-GB");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
      return new Chromium(driver, profile);
    } catch (RuntimeException e) {
      deleteTree(profile);
      throw e;
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  /**
   * Waits up to 15 s for {@code condition} to give a non-null, non-false value (a stale element is
   * retried); fails naming {@code what} and the page.
   */
  public <T> T waitFor(String what, Function<WebDriver, T> condition) {
    try {
      return new WebDriverWait(driver, WAIT, WAIT_POLL)
          .ignoring(StaleElementReferenceException.class)
          .until(condition);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "waited " + WAIT.toSeconds() + " s for " + what + " on " + driver.getCurrentUrl(), e);
    }
  }

  /**
   * Saves a PNG of the viewport to {@code target/console-screenshots/<name>.png}, and also to the
   * directory named by the system property {@code console.screenshots} when it is set (the README's
   * images are made that way).
   */
  public void screenshot(String name) {
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    try {
      Path dir = Files.createDirectories(Path.of("target", "console-screenshots"));
      Files.write(dir.resolve(name + ".png"), png);
      String extra = System.getProperty("console.screenshots");
      if (extra != null && !extra.isBlank()) {
        Files.write(Files.createDirectories(Path.of(extra)).resolve(name + ".png"), png);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }
}
