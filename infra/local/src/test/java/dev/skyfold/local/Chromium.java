package dev.skyfold.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's headless Chromium for the browser tests, started with the flags this offline
 * machine needs and an English locale, so pages format numbers the same everywhere.
 */
final class Chromium {

	private static final Path BROWSER = Path.of("/usr/bin/chromium");

	private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	private static final String INSTALL = "Chromium is needed for the browser tests: apt-get install chromium chromium-driver";

	private Chromium() {
	}

	/**
	 * Fails when Chromium is missing under CI ({@code CI=true}), and skips the tests with
	 * the install step otherwise.
	 */
	static void require() {
		boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
		if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
			fail(INSTALL);
		}
		Assumptions.assumeTrue(present, INSTALL);
	}

	/**
	 * Signs a person in on the sign-in form the browser shows, as the tests' users are
	 * configured ({@code <user>-password}), and waits until the page it was sent from
	 * shows who is signed in.
	 * @param browser a browser showing the sign-in form
	 * @param user the user name
	 */
	static void signIn(WebDriver browser, String user) {
		new WebDriverWait(browser, Duration.ofSeconds(20)).until((b) -> b.getCurrentUrl().contains("/login"));
		browser.findElement(By.id("username")).sendKeys(user);
		browser.findElement(By.id("password")).sendKeys(user + "-password");
		browser.findElement(By.cssSelector("form button[type=submit]")).click();
		new WebDriverWait(browser, Duration.ofSeconds(20)).until((b) -> !b.findElements(By.id("me-name")).isEmpty()
				&& user.equals(b.findElement(By.id("me-name")).getText()));
	}

	/**
	 * Starts a browser with a fresh profile.
	 * @param work the folder the profile goes in
	 * @return the browser; quit it when done
	 */
	static ChromeDriver start(Path work) {
		Path profile;
		try {
			profile = Files.createTempDirectory(work, "chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile())
			.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
					"--disable-sync", "--window-size=1280,900", "--lang=en-US", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

}
