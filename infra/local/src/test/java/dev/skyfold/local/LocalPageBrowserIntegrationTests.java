package dev.skyfold.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
 * The page at {@code /} in headless Chromium, driven as a person would: pick files, watch
 * each thumbnail appear beside its original without a reload, read skips and errors in
 * words. Needs Debian's {@code chromium} and {@code chromium-driver}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class LocalPageBrowserIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Path WORK = createWorkFolder();

	@LocalServerPort
	private int port;

	private WebDriver browser;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", () -> WORK.resolve("storage").toString());
	}

	@BeforeAll
	static void requireChromium() {
		Chromium.require();
	}

	@BeforeEach
	void openPage() {
		this.browser = Chromium.start(WORK);
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		Chromium.signIn(this.browser, "ada");
	}

	@AfterEach
	void closeBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void showsPickedPhotoBesideItsThumbnailWithoutReload() throws IOException {
		Path photo = file("harbour view.jpg", TestImages.photoJpeg(1600, 1200));
		Path notes = file("notes.txt", "not a picture".getBytes());
		Path broken = file("broken.jpg", TestImages.truncated(TestImages.photoJpeg(1600, 1200)));

		pick(photo, notes, broken);

		WebElement photoCard = awaitCard("harbour view.jpg", "resized");
		WebElement thumbnail = photoCard.findElement(By.cssSelector("img.thumb"));
		awaitUntil(() -> naturalWidth(thumbnail) > 0);
		assertThat(naturalWidth(thumbnail)).isEqualTo(200);
		assertThat(naturalHeight(thumbnail)).isEqualTo(150);
		assertThat(photoCard.getText()).contains("200 × 150").contains("1,600 × 1,200").contains("ms");

		assertThat(awaitCard("notes.txt", "skipped").getText()).contains("not an image");
		assertThat(awaitCard("broken.jpg", "error").getText()).containsIgnoringCase("corrupt");
	}

	@Test
	void showsObjectsUploadedByOtherClientsWithoutReload() throws Exception {
		new LocalApi(this.port).put("uploads/from curl.png", TestImages.pngWithAlpha(640, 480), "image/png");

		WebElement card = awaitCard("from curl.png", "resized");

		WebElement thumbnail = card.findElement(By.cssSelector("img.thumb"));
		awaitUntil(() -> naturalWidth(thumbnail) > 0);
		assertThat(naturalWidth(thumbnail)).isEqualTo(200);
	}

	@Test
	void showsFileNamesAsTextNeverAsMarkup() throws IOException {
		Path hostile = file("<img src=x onerror=document.title='owned'>.txt", "hello".getBytes());

		pick(hostile);

		WebElement card = awaitCard("<img src=x onerror=document.title='owned'>.txt", "skipped");
		assertThat(card.findElements(By.cssSelector(".card-title img"))).isEmpty();
		assertThat(this.browser.getTitle()).isNotEqualTo("owned");
	}

	private void pick(Path... files) {
		WebElement picker = this.browser.findElement(By.id("picker"));
		picker.sendKeys(String.join("\n", List.of(files).stream().map(Path::toString).toList()));
	}

	private WebElement awaitCard(String name, String state) {
		By card = By
			.xpath("//li[contains(@class,'card')][.//h3[@class='card-title'][text()=" + xpathLiteral(name) + "]]");
		awaitUntil(() -> this.browser.findElements(card)
			.stream()
			.anyMatch((element) -> state.equals(element.getDomAttribute("data-state"))));
		return this.browser.findElement(card);
	}

	private void awaitUntil(java.util.function.BooleanSupplier condition) {
		new WebDriverWait(this.browser, WAIT).until((driver) -> condition.getAsBoolean());
	}

	private long naturalWidth(WebElement image) {
		return (Long) ((JavascriptExecutor) this.browser).executeScript("return arguments[0].naturalWidth", image);
	}

	private long naturalHeight(WebElement image) {
		return (Long) ((JavascriptExecutor) this.browser).executeScript("return arguments[0].naturalHeight", image);
	}

	private static Path file(String name, byte[] content) throws IOException {
		Path folder = Files.createTempDirectory(WORK, "upload-");
		return Files.write(folder.resolve(name), content);
	}

	/** An XPath string literal for any text, quotes included. */
	private static String xpathLiteral(String text) {
		if (!text.contains("'")) {
			return "'" + text + "'";
		}
		return "concat('" + text.replace("'", "', \"'\", '") + "')";
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-local-browser-");
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
