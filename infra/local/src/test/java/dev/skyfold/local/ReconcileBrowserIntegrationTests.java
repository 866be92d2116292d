package dev.skyfold.local;

import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
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
 * An admin reconciles the thumbnails from the page and follows the run on its progress
 * bar, in headless Chromium: the missing thumbnails come back, the orphan goes, and the
 * bar ends full with the counts in words. A member sees no such section, and the endpoint
 * refuses it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "skyfold.local.reconcile-cron=-" })
class ReconcileBrowserIntegrationTests {

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
	void letsAnAdminReconcileAndFollowTheRunToItsEnd() {
		LocalApi admin = new LocalApi(this.port);
		for (int i = 0; i < 12; i++) {
			assertThat(
					admin.put("uploads/photo-" + i + ".png", TestImages.pngWithAlpha(64, 48), "image/png").statusCode())
				.isEqualTo(201);
		}
		assertThat(delete(admin, "resized/uploads/photo-3.png")).isEqualTo(204);
		assertThat(delete(admin, "resized/uploads/photo-7.png")).isEqualTo(204);
		assertThat(admin.put("resized/uploads/ghost.png", TestImages.pngWithAlpha(8, 8), "image/png").statusCode())
			.isEqualTo(201);

		this.browser = Chromium.start(WORK);
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		Chromium.signIn(this.browser, "root");
		WebElement section = this.browser.findElement(By.id("reconcile"));
		awaitUntil(section::isDisplayed);
		this.browser.findElement(By.id("reconcile-start")).click();

		WebElement status = this.browser.findElement(By.id("reconcile-status"));
		awaitUntil(() -> status.getText().startsWith("Done"));
		assertThat(status.getText()).contains("2 rendered", "1 removed", "0 failed", "objects/s")
			.containsPattern("(\\d+) of \\1 objects checked");
		WebElement bar = this.browser.findElement(By.id("reconcile-bar"));
		assertThat(bar.getDomProperty("value")).isEqualTo(bar.getDomProperty("max"));
		assertThat(Integer.parseInt(bar.getDomProperty("max"))).isGreaterThan(12);
		assertThat(this.browser.findElement(By.id("reconcile-start")).isEnabled()).isTrue();

		assertThat(admin.get("resized/uploads/photo-3.png").statusCode()).isEqualTo(200);
		assertThat(admin.get("resized/uploads/photo-7.png").statusCode()).isEqualTo(200);
		assertThat(admin.get("resized/uploads/ghost.png").statusCode()).isEqualTo(404);
	}

	@Test
	void showsAMemberNoReconcileAndRefusesItsRequest() {
		LocalApi member = LocalApi.as(this.port, "test-member");
		LocalApi.assertProblem(member.send(member.request("/reconcile").POST(BodyPublishers.noBody())), 403);
		LocalApi.assertProblem(member.getRaw("/reconcile"), 403);

		this.browser = Chromium.start(WORK);
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		Chromium.signIn(this.browser, "ada");
		assertThat(this.browser.findElement(By.id("reconcile")).isDisplayed()).isFalse();
	}

	private static int delete(LocalApi api, String key) {
		return api.send(api.request(LocalApi.objectPath(key)).DELETE()).statusCode();
	}

	private void awaitUntil(java.util.function.BooleanSupplier condition) {
		new WebDriverWait(this.browser, WAIT).until((driver) -> condition.getAsBoolean());
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-reconcile-it-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
