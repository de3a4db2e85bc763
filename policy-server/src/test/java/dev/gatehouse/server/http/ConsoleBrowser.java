package dev.gatehouse.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium on the reviewer console, driven through Debian's chromedriver. Nothing is
 * downloaded: the driver and the browser are named explicitly, so Selenium Manager never runs.
 */
final class ConsoleBrowser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

  /**
   * Long enough for a 2 s poll, a hot reload, or a board cell's explanation on a loaded two-core
   * machine (over 10 s was seen at load 23) to show; a page that never shows still fails.
   */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ChromeDriver driver;
  private final Path profile;
  private final String base;

  private ConsoleBrowser(ChromeDriver driver, Path profile, String base) {
    this.driver = driver;
    this.profile = profile;
    this.base = base;
  }

  /** A browser on the console of the server at {@code port}, with a fresh profile and a 1280×800 viewport. */
  static ConsoleBrowser open(int port) {
    // A missing browser must fail the build, not skip the tests: a skipped UI test proves nothing.
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("the browser tests need %s and %s: apt-get install chromium chromium-driver (.ci/run does)",
            CHROMIUM, CHROMEDRIVER)
        .isTrue();
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    try {
      Path profile = Files.createTempDirectory("gatehouse-chromium-");
      ChromeOptions options = new ChromeOptions()
          .setBinary(CHROMIUM.toFile())
          .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--user-data-dir=" + profile, "--window-size=1280,800");
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
          .usingAnyFreePort()
          .build();
      ConsoleBrowser browser = new ConsoleBrowser(new ChromeDriver(service, options), profile, "http://127.0.0.1:" + port);
      browser.viewport(1280, 800);
      return browser;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens a console page, e.g. {@code #/decisions}, fresh: the same address again reloads it. */
  void go(String route) {
    String url = base + "/ui/" + route;
    if (url.equals(driver.getCurrentUrl())) {
      driver.navigate().refresh();
    } else {
      driver.get(url);
    }
  }

  /** Sets the page's viewport exactly, as a phone or a laptop screen would have it. */
  void viewport(int width, int height) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
  }

  WebElement await(By locator) {
    return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  void awaitText(By locator, String text) {
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
  }

  void awaitGone(By locator) {
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.numberOfElementsToBe(locator, 0));
  }

  /** The texts of every element matching {@code locator}. */
  List<String> texts(By locator) {
    return driver.findElements(locator).stream().map(WebElement::getText).toList();
  }

  /** Saves what the viewport shows as {@code target/screenshots/NAME.png}, a build artifact to look at. */
  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SEVERE browser console entries since the last call, except those {@code expected} accepts. */
  List<String> consoleErrors(Predicate<String> expected) {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(expected.negate())
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
