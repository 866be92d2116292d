package dev.skyfold.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.local.chat.RoomHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page at {@code /chat} in headless Chromium, driven as people would: two
 * browsers in one room type to each other; messages posted over HTTP arrive live; the
 * room's history shows on arrival, and earlier pages on request; markup in a message
 * stays text; a dropped connection, or a resync signal, is caught up without gaps or
 * duplicates, also through messages that share an instant. Needs Debian's
 * {@code chromium} and {@code chromium-driver}.
 */
// Immediate shutdown: the streams of browsers that have quit look open to the server, and
// a graceful shutdown would wait its full timeout for them.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "server.shutdown=immediate" })
class ChatPageBrowserIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Path WORK = createWorkFolder();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String HOSTILE = "<script>document.title='owned'</script>"
			+ "<img src=x onerror=\"document.title='owned'\">";

	/** Records every title the page ever had, from before its own scripts run. */
	private static final String TITLE_WATCH = """
			window.__titles = [];
			new MutationObserver(() => {
				if (!window.__titles.includes(document.title)) window.__titles.push(document.title);
			}).observe(document, { subtree: true, childList: true, characterData: true });
			""";

	/**
	 * Loses the answer to the first post (after the app stored it), as a dropped
	 * connection would.
	 */
	private static final String LOSE_FIRST_ANSWER = """
			const realFetch = window.fetch.bind(window);
			window.__posts = [];
			window.fetch = async (url, init) => {
				if (!String(url).endsWith('/fn/postMessage')) return realFetch(url, init);
				window.__posts.push(JSON.parse(init.body).clientMessageId);
				const response = await realFetch(url, init);
				if (window.__posts.length === 1) throw new TypeError('Failed to fetch');
				return response;
			};
			""";

	/** Makes every post too long on its way out, so that the app refuses it. */
	private static final String OVERLONG_POSTS = """
			const realFetch = window.fetch.bind(window);
			window.fetch = (url, init) => {
				if (!String(url).endsWith('/fn/postMessage')) return realFetch(url, init);
				const body = JSON.parse(init.body);
				body.text = 'y'.repeat(4001);
				return realFetch(url, { ...init, body: JSON.stringify(body) });
			};
			""";

	@LocalServerPort
	private int port;

	@Autowired
	private MessageStore store;

	@Autowired
	private RoomHub hub;

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
		for (WebDriver browser : this.browsers) {
			browser.quit();
		}
		this.browsers.clear();
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void messageTypedInOneBrowserAppearsInTheOtherExactlyOnce() {
		String room = uniqueRoom();
		WebDriver ada = openChat(room);
		WebDriver grace = openChat(room, "grace");
		awaitCanPost(ada);
		awaitCanPost(grace);
		awaitLive(ada);
		awaitLive(grace);

		type(ada, "Hello Grace, can you read me?");
		awaitMessage(grace, "Hello Grace, can you read me?");
		type(grace, "Loud and clear, Ada.");
		awaitMessage(ada, "Loud and clear, Ada.");
		awaitMessage(grace, "Loud and clear, Ada.");
		ada.findElement(By.id("text")).sendKeys("line one", Keys.chord(Keys.SHIFT, Keys.ENTER), "line two");
		ada.findElement(By.id("text")).sendKeys(Keys.ENTER);
		awaitMessage(grace, "line one\nline two");
		awaitMessage(ada, "line one\nline two");

		for (WebDriver browser : List.of(ada, grace)) {
			assertThat(texts(browser)).containsExactly("Hello Grace, can you read me?", "Loud and clear, Ada.",
					"line one\nline two");
		}
		assertThat(ownTexts(ada)).containsExactly("Hello Grace, can you read me?", "line one\nline two");
		assertThat(ownTexts(grace)).containsExactly("Loud and clear, Ada.");
		assertThat(authors(grace)).as("the signed-in names").containsExactly("ada", "grace", "ada");
		assertThat(history(room)).hasSize(3);
	}

	@Test
	void markupInAMessageStaysInertText() {
		String room = uniqueRoom();
		WebDriver ada = openChat(room);
		WebDriver grace = openChat(room, "grace");
		awaitCanPost(ada);
		awaitCanPost(grace);
		awaitLive(ada);
		awaitLive(grace);

		type(ada, HOSTILE);
		awaitMessage(grace, HOSTILE);
		awaitMessage(ada, HOSTILE);
		// A round trip after it: an image error handler would have fired by now.
		type(grace, "after the markup");
		awaitMessage(ada, "after the markup");
		awaitMessage(grace, "after the markup");
		grace.navigate().refresh();
		awaitMessage(grace, "after the markup");

		for (WebDriver browser : List.of(ada, grace)) {
			assertThat(Collections.frequency(texts(browser), HOSTILE)).isEqualTo(1);
			assertThat(browser.findElements(By.cssSelector("#messages script, #messages img"))).isEmpty();
			assertThat(browser.getTitle()).isEqualTo("#" + room + " — Skyfold chat");
			assertThat(titles(browser)).doesNotContain("owned");
		}
	}

	@Test
	void showsTheRoomsHistoryOnArrivalAndSwitchesRoom() {
		String room = uniqueRoom();
		String other = uniqueRoom();
		post(room, "curl", "posted before anyone looked");
		post(room, "curl", "and a second one,\nover two lines");
		post(other, "someone", "meanwhile in the other room");

		WebDriver browser = openChat(room);

		awaitMessage(browser, "and a second one,\nover two lines");
		assertThat(texts(browser)).containsExactly("posted before anyone looked", "and a second one,\nover two lines");
		assertThat(authors(browser)).as("the signed-in script, whatever the body said")
			.containsExactly("test-admin", "test-admin");
		assertThat(browser.findElement(By.id("room-name")).getText()).isEqualTo(room);

		WebElement roomField = browser.findElement(By.id("room"));
		roomField.clear();
		roomField.sendKeys(other, Keys.ENTER);
		awaitMessage(browser, "meanwhile in the other room");
		assertThat(texts(browser)).containsExactly("meanwhile in the other room");
		assertThat(browser.getCurrentUrl()).endsWith("/chat?room=" + other);
		awaitLive(browser);
		post(other, "curl", "live in the other room");
		awaitMessage(browser, "live in the other room");
		post(room, "curl", "not for this room");
		post(other, "curl", "a last one");
		awaitMessage(browser, "a last one");
		assertThat(texts(browser)).containsExactly("meanwhile in the other room", "live in the other room",
				"a last one");
	}

	@Test
	void loadsEarlierMessagesOnRequest() {
		String room = uniqueRoom();
		List<String> all = new ArrayList<>();
		for (int i = 1; i <= 55; i++) {
			all.add("message " + i);
			post(room, "counter", "message " + i);
		}

		assertLoadsTheLast50ThenTheEarlierOnRequest(room, all);
	}

	@Test
	void loadsEarlierMessagesThatShareTheInstantOfTheOldestShown() {
		String room = uniqueRoom();
		Instant instant = Instant.now().truncatedTo(ChronoUnit.MICROS);
		List<String> all = new ArrayList<>();
		for (int i = 1; i <= 3; i++) {
			all.add(store(room, "earlier " + i, room + "-e" + i, instant.minusSeconds(10 - i)));
		}
		// Stored in reverse, so that the store has to order them by id.
		List<String> sameInstant = new ArrayList<>();
		for (int i = 51; i >= 0; i--) {
			sameInstant.add(0,
					store(room, String.format("same instant %02d", i), String.format("%s-s%02d", room, i), instant));
		}
		all.addAll(sameInstant);

		assertLoadsTheLast50ThenTheEarlierOnRequest(room, all);
	}

	/**
	 * Opens a room holding 55 messages: the page shows the last 50, then, on "earlier",
	 * all 55 in order, and hides the button.
	 */
	private void assertLoadsTheLast50ThenTheEarlierOnRequest(String room, List<String> all) {
		assertThat(all).hasSize(55);
		WebDriver browser = openChat(room);
		awaitMessage(browser, all.get(54));
		assertThat(texts(browser)).containsExactlyElementsOf(all.subList(5, 55));
		browser.findElement(By.id("earlier")).click();
		awaitUntil(browser, () -> texts(browser).size() == 55);
		assertThat(texts(browser)).containsExactlyElementsOf(all);
		awaitUntil(browser, () -> !browser.findElement(By.id("earlier")).isDisplayed());
	}

	@Test
	void catchesUpThroughMessagesThatShareAnInstantAfterADroppedConnection() throws IOException {
		String room = uniqueRoom();
		try (DroppingProxy proxy = new DroppingProxy(this.port)) {
			WebDriver browser = openChat(proxy.port(), room);
			awaitCanPost(browser);
			awaitLive(browser);
			type(browser, "before the drop");

			proxy.cut();
			awaitUntil(browser, () -> "reconnecting".equals(status(browser)));
			// More than one catch-up page, all of one instant: not broadcast, only
			// fetched.
			Instant instant = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MICROS);
			List<String> missed = new ArrayList<>();
			for (int i = 0; i < 205; i++) {
				missed.add(store(room, String.format("missed %03d", i), String.format("%s-m%03d", room, i), instant));
			}
			proxy.restore();

			awaitLive(browser);
			awaitUntil(browser, () -> texts(browser).size() >= 206);
			List<String> expected = new ArrayList<>(List.of("before the drop"));
			expected.addAll(missed);
			assertThat(texts(browser)).containsExactlyElementsOf(expected);
		}
	}

	@Test
	void catchesUpFromTheHistoryBackToTheInstantAResyncNames() {
		String room = uniqueRoom();
		WebDriver browser = openChat(room);
		awaitCanPost(browser);
		awaitLive(browser);
		type(browser, "first live");
		awaitMessage(browser, "first live");
		// Stored by another instance while the relay was down: never delivered live, and
		// more than one catch-up page, older than what the page shows next.
		Instant instant = Instant.now().truncatedTo(ChronoUnit.MICROS);
		List<String> missed = new ArrayList<>();
		for (int i = 0; i < 205; i++) {
			missed.add(store(room, String.format("missed %03d", i), String.format("%s-r%03d", room, i), instant));
		}
		post(room, "curl", "later live");
		awaitMessage(browser, "later live");

		this.hub.missed(instant.minusSeconds(1));

		awaitUntil(browser, () -> texts(browser).size() >= 207);
		List<String> expected = new ArrayList<>(List.of("first live"));
		expected.addAll(missed);
		expected.add("later live");
		assertThat(texts(browser)).containsExactlyElementsOf(expected);
	}

	@Test
	void showsMessagesPostedOverHttpLiveExactlyOnce() {
		String room = uniqueRoom();
		WebDriver browser = openChat(room);
		awaitCanPost(browser);
		awaitLive(browser);
		assertThat(texts(browser)).isEmpty();
		assertThat(browser.findElement(By.id("empty")).isDisplayed()).isTrue();

		String clientMessageId = UUID.randomUUID().toString();
		post(room, "curl", "hello from curl", clientMessageId);
		post(room, "curl", "hello from curl", clientMessageId);

		awaitMessage(browser, "hello from curl");
		awaitUntil(browser,
				() -> browser.findElement(By.id("announcer"))
					.getDomProperty("textContent")
					.contains("hello from curl"));
		type(browser, "a reply");
		awaitMessage(browser, "a reply");
		assertThat(texts(browser)).containsExactly("hello from curl", "a reply");
		assertThat(ownTexts(browser)).containsExactly("a reply");
	}

	@Test
	void catchesUpAfterADroppedConnectionWithoutDuplicates() throws IOException {
		String room = uniqueRoom();
		try (DroppingProxy proxy = new DroppingProxy(this.port)) {
			WebDriver browser = openChat(proxy.port(), room);
			awaitCanPost(browser);
			awaitLive(browser);
			type(browser, "before the drop");
			post(room, "curl", "also before the drop");
			awaitMessage(browser, "also before the drop");

			proxy.cut();
			awaitUntil(browser, () -> "reconnecting".equals(status(browser)));
			assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Reconnecting…");
			post(room, "curl", "while the page was away");
			post(room, "curl", "this one too");
			proxy.restore();

			awaitLive(browser);
			awaitMessage(browser, "this one too");
			post(room, "curl", "after the drop");
			awaitMessage(browser, "after the drop");
			assertThat(texts(browser)).containsExactly("before the drop", "also before the drop",
					"while the page was away", "this one too", "after the drop");
		}
	}

	@Test
	void postsAgainWithTheSameClientMessageIdWhenTheAnswerIsLost() {
		String room = uniqueRoom();
		WebDriver browser = openChat(room);
		awaitCanPost(browser);
		awaitLive(browser);
		((JavascriptExecutor) browser).executeScript(LOSE_FIRST_ANSWER);

		type(browser, "stored once, answered late");

		List<String> posts = strings(browser, "return window.__posts");
		assertThat(posts).hasSize(2);
		assertThat(posts.get(1)).isEqualTo(posts.get(0));
		assertThat(texts(browser)).containsExactly("stored once, answered late");
		assertThat(browser.findElement(By.id("send-error")).isDisplayed()).isFalse();
		assertThat(history(room)).hasSize(1);

		type(browser, "and a new one");
		List<String> after = strings(browser, "return window.__posts");
		assertThat(after).hasSize(3);
		assertThat(after.get(2)).as("a new message gets a new id").isNotEqualTo(posts.get(0));
	}

	@Test
	void refusesOverlongTextBeforeSendingAndSaysSo() {
		String room = uniqueRoom();
		WebDriver browser = openChat(room);
		awaitCanPost(browser);
		awaitLive(browser);
		WebElement text = browser.findElement(By.id("text"));
		((JavascriptExecutor) browser).executeScript(
				"arguments[0].value = 'x'.repeat(4001); arguments[0].dispatchEvent(new Event('input'))", text);

		assertThat(browser.findElement(By.id("counter")).getText()).isEqualTo("4,001 / 4,000");
		assertThat(browser.findElement(By.id("send")).isEnabled()).isFalse();
		text.sendKeys(Keys.ENTER);
		awaitUntil(browser, () -> browser.findElement(By.id("send-error")).isDisplayed());
		assertThat(browser.findElement(By.id("send-error")).getText()).contains("4,001 characters")
			.contains("at most 4,000");
		assertThat(history(room)).isEmpty();
	}

	@Test
	void showsTheAppsRefusalInWords() {
		String room = uniqueRoom();
		WebDriver browser = openChat(room);
		awaitCanPost(browser);
		awaitLive(browser);
		((JavascriptExecutor) browser).executeScript(OVERLONG_POSTS);

		WebElement text = browser.findElement(By.id("text"));
		text.sendKeys("looks short here", Keys.ENTER);

		WebElement error = browser.findElement(By.id("send-error"));
		awaitUntil(browser, error::isDisplayed);
		assertThat(error.getText()).isEqualTo("Not sent: The text is 4001 characters; at most 4000 are allowed");
		assertThat(text.getDomProperty("value")).isEqualTo("looks short here");
		assertThat(texts(browser)).isEmpty();
		assertThat(history(room)).isEmpty();
	}

	// ---------------------------------------------------------------- browsers

	/** Opens a room signed in as ada, a member. */
	private WebDriver openChat(String room) {
		return openChat(this.port, room, "ada");
	}

	private WebDriver openChat(String room, String user) {
		return openChat(this.port, room, user);
	}

	private WebDriver openChat(int port, String room) {
		return openChat(port, room, "ada");
	}

	private WebDriver openChat(int port, String room, String user) {
		ChromeDriver browser = Chromium.start(WORK);
		this.browsers.add(browser);
		browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", TITLE_WATCH));
		browser.get("http://127.0.0.1:" + port + "/chat?room=" + room);
		Chromium.signIn(browser, user);
		return browser;
	}

	private void awaitCanPost(WebDriver browser) {
		awaitUntil(browser, () -> browser.findElement(By.id("text")).isEnabled());
	}

	private void type(WebDriver browser, String text) {
		WebElement box = browser.findElement(By.id("text"));
		box.sendKeys(text);
		box.sendKeys(Keys.ENTER);
		awaitUntil(browser, () -> box.getDomProperty("value").isEmpty());
		awaitMessage(browser, text);
	}

	private void awaitLive(WebDriver browser) {
		awaitUntil(browser, () -> "up".equals(status(browser)));
	}

	private String status(WebDriver browser) {
		return browser.findElement(By.id("status")).getDomAttribute("data-state");
	}

	private void awaitMessage(WebDriver browser, String text) {
		new WebDriverWait(browser, WAIT)
			.withMessage(() -> "message " + quoted(text) + " to show; the page shows "
					+ texts(browser).stream().map(ChatPageBrowserIntegrationTests::quoted).toList())
			.until((driver) -> texts(browser).contains(text));
	}

	private void awaitUntil(WebDriver browser, BooleanSupplier condition) {
		new WebDriverWait(browser, WAIT)
			.withMessage(
					() -> "the page to change; its status is " + status(browser) + ", its messages " + texts(browser))
			.until((driver) -> condition.getAsBoolean());
	}

	private static String quoted(String text) {
		return "'" + text.replace("\n", "\\n") + "'";
	}

	/** The texts of the messages shown, top to bottom, exactly as in the page. */
	private List<String> texts(WebDriver browser) {
		return textsOf(browser, "#messages .msg .msg-text");
	}

	private List<String> ownTexts(WebDriver browser) {
		return textsOf(browser, "#messages .msg.own .msg-text");
	}

	private List<String> authors(WebDriver browser) {
		return textsOf(browser, "#messages .msg .msg-author");
	}

	@SuppressWarnings("unchecked")
	private List<String> textsOf(WebDriver browser, String selector) {
		return (List<String>) ((JavascriptExecutor) browser)
			.executeScript("return [...document.querySelectorAll(arguments[0])].map((el) => el.textContent)", selector);
	}

	private List<String> titles(WebDriver browser) {
		return strings(browser, "return window.__titles || []");
	}

	@SuppressWarnings("unchecked")
	private List<String> strings(WebDriver browser, String script) {
		return (List<String>) ((JavascriptExecutor) browser).executeScript(script);
	}

	// ---------------------------------------------------------------- HTTP

	private void post(String room, String author, String text) {
		post(room, author, text, UUID.randomUUID().toString());
	}

	private void post(String room, String author, String text, String clientMessageId) {
		ObjectNode body = JSON.createObjectNode()
			.put("room", room)
			.put("author", author)
			.put("text", text)
			.put("clientMessageId", clientMessageId);
		HttpResponse<byte[]> response = new LocalApi(this.port).postJson("postMessage", body.toString());
		assertThat(response.statusCode()).as("postMessage: %s", LocalApi.text(response)).isEqualTo(200);
	}

	/**
	 * Stores a message straight in the app's store, at a chosen instant and without a
	 * broadcast, as another instance of the app would have stored it.
	 * @return the message's text
	 */
	private String store(String room, String text, String id, Instant createdAt) {
		this.store.save(new NewMessage(room, "curl", text, null), id, createdAt);
		return text;
	}

	private List<JsonNode> history(String room) {
		HttpResponse<byte[]> response = new LocalApi(this.port).postJson("messageHistory",
				JSON.createObjectNode().put("room", room).toString());
		assertThat(response.statusCode()).as("messageHistory: %s", LocalApi.text(response)).isEqualTo(200);
		List<JsonNode> messages = new ArrayList<>();
		LocalApi.json(response).path("messages").values().forEach(messages::add);
		return messages;
	}

	private static String uniqueRoom() {
		return "room-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-chat-browser-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A TCP proxy in front of the app that can cut every connection through it and refuse
	 * new ones for a while, as a flaky network or a restarting proxy would.
	 */
	private static final class DroppingProxy implements AutoCloseable {

		private final ServerSocket server;

		private final int target;

		private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

		private final ExecutorService threads = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "dropping-proxy");
			thread.setDaemon(true);
			return thread;
		});

		private volatile boolean refusing;

		DroppingProxy(int target) throws IOException {
			this.target = target;
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.threads.execute(this::accept);
		}

		int port() {
			return this.server.getLocalPort();
		}

		/** Closes every connection and refuses new ones until {@link #restore()}. */
		void cut() {
			this.refusing = true;
			for (Socket socket : this.sockets) {
				closeQuietly(socket);
			}
		}

		void restore() {
			this.refusing = false;
		}

		private void accept() {
			while (!this.server.isClosed()) {
				try {
					Socket client = this.server.accept();
					if (this.refusing) {
						closeQuietly(client);
						continue;
					}
					Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.target);
					this.sockets.add(client);
					this.sockets.add(upstream);
					this.threads.execute(() -> pump(client, upstream));
					this.threads.execute(() -> pump(upstream, client));
				}
				catch (IOException ex) {
					// closed, or one connection failed: carry on until closed
				}
			}
		}

		private void pump(Socket from, Socket to) {
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				byte[] buffer = new byte[8192];
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// cut or closed by either side
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		}

		private static void closeQuietly(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			cut();
			this.threads.shutdownNow();
		}

	}

}
