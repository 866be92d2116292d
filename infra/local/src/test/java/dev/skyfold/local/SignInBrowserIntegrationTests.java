package dev.skyfold.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in to the pages in headless Chromium, as the tests' users (see
 * {@code config/application.yaml}): signed out, both pages ask to sign in; a member
 * uploads, sees the thumbnail and chats under their own name; a viewer sees the gallery
 * and the chat but neither the upload button nor the send box.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "server.shutdown=immediate" })
class SignInBrowserIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Path WORK = createWorkFolder();

	@LocalServerPort
	private int port;

	private final List<WebDriver> browsers = new ArrayList<>();

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", () -> WORK.resolve("storage").toString());
	}

	@BeforeAll
	static void requireChromium() {
		Chromium.require();
	}

	@AfterEach
	void closeBrowsers() {
		this.browsers.forEach(WebDriver::quit);
		this.browsers.clear();
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void asksToSignInOnBothPagesWhenSignedOut() {
		WebDriver browser = browser();
		for (String page : List.of("/", "/chat?room=general")) {
			browser.get(url(page));
			awaitUntil(browser, () -> browser.getCurrentUrl().contains("/login"));
			assertThat(browser.findElements(By.id("username"))).hasSize(1);
			assertThat(browser.findElements(By.id("cards"))).isEmpty();
		}
	}

	@Test
	void letsAMemberUploadSeeTheThumbnailChatAndSignOut() throws IOException {
		WebDriver browser = browser();
		browser.get(url("/"));
		Chromium.signIn(browser, "ada");
		assertThat(browser.findElement(By.id("me-role")).getText()).isEqualToIgnoringCase("member");
		assertThat(browser.findElement(By.id("dropzone")).isDisplayed()).isTrue();

		Path photo = Files.write(Files.createTempDirectory(WORK, "upload-").resolve("member photo.png"),
				TestImages.pngWithAlpha(640, 480));
		browser.findElement(By.id("picker")).sendKeys(photo.toString());
		WebElement thumbnail = awaitElement(browser, By.xpath(
				"//li[contains(@class,'card')][@data-state='resized'][.//h3[text()='member photo.png']]//img[contains(@class,'thumb')]"));
		awaitUntil(browser, () -> naturalWidth(browser, thumbnail) == 200);

		String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
		browser.get(url("/chat?room=" + room));
		WebElement text = awaitElement(browser, By.id("text"));
		awaitUntil(browser, text::isEnabled);
		text.sendKeys("posted by a member", Keys.ENTER);
		awaitUntil(browser, () -> texts(browser, "#messages .msg-text").contains("posted by a member"));
		assertThat(texts(browser, "#messages .msg-author")).containsExactly("ada");

		browser.findElement(By.id("sign-out")).click();
		awaitUntil(browser, () -> browser.getCurrentUrl().contains("/login"));
		browser.get(url("/"));
		awaitUntil(browser, () -> browser.getCurrentUrl().contains("/login"));
	}

	@Test
	void showsAViewerTheGalleryAndTheChatButNoUploadButtonOrSendBox() {
		LocalApi admin = new LocalApi(this.port);
		assertThat(admin.put("uploads/for viewers.png", TestImages.pngWithAlpha(320, 240), "image/png").statusCode())
			.isEqualTo(201);
		String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(admin.postJson("postMessage", "{\"room\":\"" + room + "\",\"text\":\"hello viewers\"}").statusCode())
			.isEqualTo(200);

		WebDriver browser = browser();
		browser.get(url("/"));
		Chromium.signIn(browser, "vic");
		assertThat(browser.findElement(By.id("me-role")).getText()).isEqualToIgnoringCase("viewer");
		awaitElement(browser, By.xpath("//li[contains(@class,'card')][.//h3[text()='for viewers.png']]"));
		assertThat(browser.findElement(By.id("dropzone")).isDisplayed()).isFalse();
		assertThat(browser.findElement(By.cssSelector("label[for=picker]")).isDisplayed()).isFalse();

		browser.get(url("/chat?room=" + room));
		awaitUntil(browser, () -> texts(browser, "#messages .msg-text").contains("hello viewers"));
		awaitUntil(browser, () -> browser.findElement(By.id("read-only")).isDisplayed());
		assertThat(browser.findElement(By.id("composer")).isDisplayed()).isFalse();
		assertThat(browser.findElement(By.id("text")).isDisplayed()).isFalse();
	}

	private WebDriver browser() {
		WebDriver browser = Chromium.start(WORK);
		this.browsers.add(browser);
		return browser;
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	private static WebElement awaitElement(WebDriver browser, By locator) {
		return new WebDriverWait(browser, WAIT).until((driver) -> {
			List<WebElement> found = driver.findElements(locator);
			return found.isEmpty() ? null : found.get(0);
		});
	}

	private static void awaitUntil(WebDriver browser, BooleanSupplier condition) {
		new WebDriverWait(browser, WAIT).until((driver) -> condition.getAsBoolean());
	}

	private static long naturalWidth(WebDriver browser, WebElement image) {
		return (Long) ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", image);
	}

	@SuppressWarnings("unchecked")
	private static List<String> texts(WebDriver browser, String selector) {
		return (List<String>) ((JavascriptExecutor) browser)
			.executeScript("return [...document.querySelectorAll(arguments[0])].map((el) => el.textContent)", selector);
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-sign-in-browser-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
