package dev.skyfold.testsupport.contract;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

import static dev.skyfold.testsupport.contract.Expectations.expectDone;
import static dev.skyfold.testsupport.contract.Expectations.expectRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@code thumbnail} and {@code resizeImage}, the same on every host: a
 * host's test class extends it and gives its driver; every case the host's triggers can
 * express runs unchanged.
 */
public abstract class ImageFunctionContract {

	private static final String THUMBNAILS = "resized/";

	/**
	 * The driver of the host under test.
	 * @return the driver, ready to call
	 */
	protected abstract ImageHost imageHost();

	@TestFactory
	Stream<DynamicNode> imageFunctionContract() {
		ImageHost driver = imageHost();
		List<DynamicNode> functions = new ArrayList<>();
		driver.host()
			.trigger(SkyfoldFunction.THUMBNAIL)
			.ifPresent(
					(trigger) -> functions.add(thumbnail(driver, trigger).named(SkyfoldFunction.THUMBNAIL, trigger)));
		driver.host()
			.trigger(SkyfoldFunction.RESIZE_IMAGE)
			.ifPresent((trigger) -> functions
				.add(resizeImage(driver, trigger).named(SkyfoldFunction.RESIZE_IMAGE, trigger)));
		return functions.stream();
	}

	private static Case.Cases thumbnail(ImageHost driver, Trigger trigger) {
		Host host = driver.host();
		return new Case.Cases().add("renders a JPEG within the 200x200 box, keeping its format and aspect", () -> {
			Answer answer = driver.thumbnail(Caller.MEMBER, Samples.TALL_JPEG);
			expectDone(answer, host, SkyfoldFunction.THUMBNAIL);
			assertThat(answer.body().path("contentType").asString("")).startsWith("image/jpeg");
			BufferedImage thumbnail = decode(answer.bytes());
			assertThat(thumbnail.getHeight()).isEqualTo(200);
			assertThat(thumbnail.getWidth()).isBetween(66, 67);
			assertThat(answer.body().path("width").asInt()).isEqualTo(thumbnail.getWidth());
			assertThat(answer.body().path("height").asInt()).isEqualTo(200);
		}).add("renders the same bytes again for the same image", () -> {
			Answer first = driver.thumbnail(Caller.MEMBER, Samples.WIDE_PNG);
			Answer again = driver.thumbnail(Caller.MEMBER, Samples.WIDE_PNG);
			expectDone(first, host, SkyfoldFunction.THUMBNAIL);
			expectDone(again, host, SkyfoldFunction.THUMBNAIL);
			assertThat(decode(first.bytes()).getWidth()).isEqualTo(200);
			assertThat(again.bytes()).isEqualTo(first.bytes());
		})
			.add("refuses a truncated image as invalid",
					() -> expectRefused(driver.thumbnail(Caller.MEMBER, Samples.TRUNCATED_JPEG), trigger,
							Verdict.INVALID, "image"))
			.add("refuses text as an unsupported format",
					() -> expectRefused(driver.thumbnail(Caller.MEMBER, Samples.TEXT), trigger, Verdict.UNSUPPORTED,
							"not a JPEG, PNG, GIF, BMP or WebP image"))
			.add("refuses an image over the pixel limit from its header",
					() -> expectRefused(driver.thumbnail(Caller.MEMBER, Samples.HUGE_PNG), trigger, Verdict.TOO_LARGE,
							"100000x100000"))
			.addIf(trigger.hasCaller(), "refuses a caller without credentials",
					() -> expectRefused(driver.thumbnail(Caller.ANONYMOUS, Samples.TALL_JPEG), trigger,
							Verdict.UNAUTHENTICATED, ""))
			.addIf(trigger.hasCaller() && host.verifiesTokens(), "refuses a forged token",
					() -> expectRefused(driver.thumbnail(Caller.FORGED, Samples.TALL_JPEG), trigger,
							Verdict.UNAUTHENTICATED, ""))
			.addIf(trigger.hasCaller(), "refuses a viewer: a thumbnail needs the role member",
					() -> expectRefused(driver.thumbnail(Caller.VIEWER, Samples.TALL_JPEG), trigger, Verdict.FORBIDDEN,
							"member"));
	}

	private static Case.Cases resizeImage(ImageHost driver, Trigger trigger) {
		Host host = driver.host();
		return new Case.Cases().add("writes a thumbnail of an uploaded image under resized/", () -> {
			String key = upload(driver, "tall.jpg", Samples.TALL_JPEG, "image/jpeg");
			Answer answer = driver.resizeImage(Caller.ADMIN, key);
			expectDone(answer, host, SkyfoldFunction.RESIZE_IMAGE);
			assertThat(answer.body().path("outcome").asString("")).isEqualTo("RESIZED");
			assertThat(writtenKeys(answer.body())).containsExactly(THUMBNAILS + key);
			BufferedImage thumbnail = decode(driver.object(THUMBNAILS + key).orElseThrow());
			assertThat(thumbnail.getHeight()).isEqualTo(200);
			assertThat(thumbnail.getWidth()).isBetween(66, 67);
		}).add("writes the same thumbnail bytes when the event is delivered again", () -> {
			String key = upload(driver, "wide.png", Samples.WIDE_PNG, "image/png");
			expectDone(driver.resizeImage(Caller.ADMIN, key), host, SkyfoldFunction.RESIZE_IMAGE);
			byte[] first = driver.object(THUMBNAILS + key).orElseThrow();
			Answer again = driver.resizeImage(Caller.ADMIN, key);
			expectDone(again, host, SkyfoldFunction.RESIZE_IMAGE);
			assertThat(again.body().path("outcome").asString("")).isEqualTo("RESIZED");
			assertThat(driver.object(THUMBNAILS + key))
				.hasValueSatisfying((bytes) -> assertThat(bytes).isEqualTo(first));
		}).add("skips a thumbnail, so that it never triggers itself", () -> {
			String key = THUMBNAILS + uploadKey("thumb.jpg");
			driver.putObject(key, Samples.TALL_JPEG, "image/jpeg");
			Answer answer = driver.resizeImage(Caller.ADMIN, key);
			expectDone(answer, host, SkyfoldFunction.RESIZE_IMAGE);
			assertThat(answer.body().path("outcome").asString("")).isEqualTo("SKIPPED");
			assertThat(answer.body().path("reason").asString("")).contains(THUMBNAILS);
			assertThat(driver.object(THUMBNAILS + key)).isEmpty();
		}).add("skips an object that is not an image, writing nothing", () -> {
			String key = upload(driver, "notes.txt", Samples.TEXT, "text/plain");
			Answer answer = driver.resizeImage(Caller.ADMIN, key);
			expectDone(answer, host, SkyfoldFunction.RESIZE_IMAGE);
			assertThat(answer.body().path("outcome").asString("")).isEqualTo("SKIPPED");
			assertThat(answer.body().path("reason").asString("")).contains("not an image");
			assertThat(driver.object(THUMBNAILS + key)).isEmpty();
		}).add("rejects a truncated image and writes nothing", () -> {
			String key = upload(driver, "cut.jpg", Samples.TRUNCATED_JPEG, "image/jpeg");
			expectRefused(driver.resizeImage(Caller.ADMIN, key), trigger, Verdict.INVALID, "image");
			assertThat(driver.object(THUMBNAILS + key)).isEmpty();
		}).add("rejects an image over the pixel limit and writes nothing", () -> {
			String key = upload(driver, "huge.png", Samples.HUGE_PNG, "image/png");
			expectRefused(driver.resizeImage(Caller.ADMIN, key), trigger, Verdict.TOO_LARGE, "100000x100000");
			assertThat(driver.object(THUMBNAILS + key)).isEmpty();
		}).addIf(trigger.hasCaller(), "refuses a caller without credentials and writes nothing", () -> {
			String key = upload(driver, "anonymous.jpg", Samples.TALL_JPEG, "image/jpeg");
			expectRefused(driver.resizeImage(Caller.ANONYMOUS, key), trigger, Verdict.UNAUTHENTICATED, "");
			assertThat(driver.object(THUMBNAILS + key)).isEmpty();
		}).addIf(trigger.hasCaller(), "refuses a member's direct call: it needs the role admin", () -> {
			String key = upload(driver, "member.jpg", Samples.TALL_JPEG, "image/jpeg");
			expectRefused(driver.resizeImage(Caller.MEMBER, key), trigger, Verdict.FORBIDDEN, "admin");
			assertThat(driver.object(THUMBNAILS + key)).isEmpty();
		});
	}

	private static String upload(ImageHost driver, String name, byte[] content, String contentType) {
		String key = uploadKey(name);
		driver.putObject(key, content, contentType);
		return key;
	}

	private static String uploadKey(String name) {
		return "uploads/" + Samples.unique("contract") + "/" + name;
	}

	private static List<String> writtenKeys(JsonNode result) {
		List<String> keys = new ArrayList<>();
		for (JsonNode written : result.path("written")) {
			keys.add(written.isObject() ? written.path("key").asString("") : written.asString(""));
		}
		return keys;
	}

	private static BufferedImage decode(byte[] image) {
		try {
			BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
			assertThat(decoded).as("a decodable image of %d bytes", image.length).isNotNull();
			return decoded;
		}
		catch (IOException ex) {
			throw new AssertionError("Not a decodable image", ex);
		}
	}

}
