package dev.skyfold.chat.port;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore.Saved;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link MessageStore} promises, whatever keeps the messages: a subclass
 * supplies an empty store and inherits the tests. Run against the in-memory store, the
 * JDBC store on H2 and on a real PostgreSQL server, the DynamoDB store and the Azure
 * Table store.
 */
public abstract class MessageStoreContract {

	/** A four-byte character in UTF-8, two chars in Java. */
	protected static final String ROCKET = "\uD83D\uDE80";

	/** When the contract's messages are stored, to the microsecond. */
	protected static final Instant T0 = Instant.parse("2026-03-01T12:34:56.123456Z");

	private @Nullable MessageStore store;

	/**
	 * Opens a store that holds no message; called before each test.
	 * @return the store
	 * @throws Exception when it cannot be opened
	 */
	protected abstract MessageStore createEmptyStore() throws Exception;

	@BeforeEach
	void openEmptyStore() throws Exception {
		this.store = createEmptyStore();
	}

	/**
	 * The store under test.
	 * @return the store {@link #createEmptyStore()} opened for this test
	 */
	protected final MessageStore store() {
		assertThat(this.store).as("store").isNotNull();
		return this.store;
	}

	/**
	 * Stores a message without a client message id.
	 * @param room the room
	 * @param text the text
	 * @param createdAt when
	 * @return the stored message
	 */
	protected final ChatMessage save(String room, String text, Instant createdAt) {
		Saved saved = store().save(new NewMessage(room, "Ada", text, null), UUID.randomUUID().toString(), createdAt);
		assertThat(saved.created()).as("created").isTrue();
		return saved.message();
	}

	/**
	 * Stores messages one second apart, in a shuffled order so that the store has to sort
	 * them.
	 * @param room the room
	 * @param count how many
	 * @return the messages, oldest first
	 */
	protected final List<ChatMessage> saveInShuffledOrder(String room, int count) {
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			order.add(i);
		}
		Collections.shuffle(order, new Random(count));
		ChatMessage[] messages = new ChatMessage[count];
		for (int i : order) {
			messages[i] = save(room, "message " + i, T0.plusSeconds(i));
		}
		return List.of(messages);
	}

	/**
	 * Stores five messages of one instant, {@link #T0}, with the ids {@code <room>-5a} to
	 * {@code <room>-5e}, between three messages stored earlier (the latest two a
	 * microsecond before) and two later (the first a microsecond after), in a shuffled
	 * order.
	 * @param room the room
	 * @return the ten messages, oldest first
	 */
	protected final List<ChatMessage> saveAroundFiveOfTheSameInstant(String room) {
		Instant micro = T0.plusNanos(1000);
		List<ChatMessage> messages = new ArrayList<>();
		messages.add(saveWithId(room, "9a", T0.minusSeconds(1)));
		messages.add(saveWithId(room, "0a", T0.minusNanos(1000)));
		messages.add(saveWithId(room, "zz", T0.minusNanos(1000)));
		messages.add(saveWithId(room, "5d", T0));
		messages.add(saveWithId(room, "5a", T0));
		messages.add(saveWithId(room, "00", micro));
		messages.add(saveWithId(room, "5e", T0));
		messages.add(saveWithId(room, "5c", T0));
		messages.add(saveWithId(room, "5b", T0));
		messages.add(saveWithId(room, "1a", T0.plusSeconds(1)));
		messages.sort(Comparator.comparing(ChatMessage::createdAt).thenComparing(ChatMessage::id));
		assertThat(messages).extracting(ChatMessage::id)
			.containsExactly(room + "-9a", room + "-0a", room + "-zz", room + "-5a", room + "-5b", room + "-5c",
					room + "-5d", room + "-5e", room + "-00", room + "-1a");
		return List.copyOf(messages);
	}

	private ChatMessage saveWithId(String room, String id, Instant createdAt) {
		Saved saved = store().save(new NewMessage(room, "Ada", "message " + id, null), room + "-" + id, createdAt);
		assertThat(saved.created()).as("created").isTrue();
		return saved.message();
	}

	@Test
	void keepsEveryFieldOfAStoredMessageExactly() {
		String id = UUID.randomUUID().toString();
		Saved saved = store().save(new NewMessage("general", "Ada Lovelace", "Hello, room!\nSecond line.", "c-1"), id,
				T0);
		ChatMessage expected = new ChatMessage(id, "general", "Ada Lovelace", "Hello, room!\nSecond line.", T0);
		assertThat(saved).isEqualTo(new Saved(expected, true));
		assertThat(store().latest("general", null, 10)).containsExactly(expected);
	}

	@Test
	void keepsUnicodeAndEmojiExactly() {
		String author = "Zo\u00eb \u674e\u96f7 " + ROCKET;
		String text = "Gr\u00fc\u00dfe \u2014 \u4f60\u597d \u0645\u0631\u062d\u0628\u0627 e\u0301 \uD835\uDD18 "
				+ "\uD83D\uDC69\u200D\uD83D\uDCBB \uD83C\uDDE9\uD83C\uDDEA " + ROCKET + "\n\"quotes\" 'and' \\ % _";
		ChatMessage stored = store().save(new NewMessage("general", author, text, null), "u-1", T0).message();
		assertThat(store().latest("general", null, 10)).singleElement().isEqualTo(stored).satisfies((message) -> {
			assertThat(message.author()).isEqualTo(author);
			assertThat(message.text()).isEqualTo(text);
		});
	}

	@Test
	void keepsTheLongestTextAuthorAndClientMessageId() {
		String letters = "a".repeat(NewMessage.MAX_TEXT);
		String emoji = ROCKET.repeat(NewMessage.MAX_TEXT);
		String author = ROCKET.repeat(NewMessage.MAX_AUTHOR);
		String clientMessageId = "0123456789abcdef".repeat(8);
		ChatMessage first = store().save(new NewMessage("general", author, letters, clientMessageId), "l-1", T0)
			.message();
		ChatMessage second = store().save(new NewMessage("general", author, emoji, null), "l-2", T0.plusSeconds(1))
			.message();
		assertThat(store().latest("general", null, 10)).containsExactly(first, second);
		assertThat(second.text()).isEqualTo(emoji);
		assertThat(second.author()).isEqualTo(author);
		assertThat(store().save(new NewMessage("general", "Ada", "again", clientMessageId), "l-3", T0).message())
			.isEqualTo(first);
	}

	@Test
	void keepsInstantsToTheMicrosecond() {
		List<Instant> instants = List.of(Instant.parse("1970-01-01T00:00:00Z"),
				Instant.parse("1999-12-31T23:59:59.999999Z"), Instant.parse("2026-03-01T12:34:56.000001Z"),
				Instant.parse("2026-03-29T01:30:00.5Z"), Instant.parse("2038-01-19T03:14:08.654321Z"));
		List<ChatMessage> stored = new ArrayList<>();
		for (Instant instant : instants) {
			stored.add(save("general", "at " + instant, instant));
		}
		assertThat(store().latest("general", null, 10)).containsExactlyElementsOf(stored)
			.extracting(ChatMessage::createdAt)
			.containsExactlyElementsOf(instants);
	}

	@Test
	void keepsRoomsApart() {
		ChatMessage general = save("general", "in general", T0);
		ChatMessage random = save("random", "in random", T0.plusSeconds(1));
		ChatMessage prefixed = save("general-2", "in general-2", T0.plusSeconds(2));
		assertThat(store().latest("general", null, 10)).containsExactly(general);
		assertThat(store().latest("random", null, 10)).containsExactly(random);
		assertThat(store().latest("general-2", null, 10)).containsExactly(prefixed);
	}

	@Test
	void answersNothingForARoomNobodyWroteIn() {
		save("general", "hello", T0);
		assertThat(store().latest("empty-room", null, 10)).isEmpty();
		assertThat(store().latest("empty-room", HistoryPosition.before(T0.plusSeconds(1)), 10)).isEmpty();
		assertThat(store().latest("empty-room", new HistoryPosition(T0, "0a"), 10)).isEmpty();
	}

	@Test
	void listsTheLatestMessagesOldestFirst() {
		List<ChatMessage> messages = saveInShuffledOrder("general", 10);
		assertThat(store().latest("general", null, 100)).containsExactlyElementsOf(messages);
	}

	@Test
	void listsNoMoreThanTheLimit() {
		List<ChatMessage> messages = saveInShuffledOrder("general", 10);
		assertThat(store().latest("general", null, 3)).containsExactlyElementsOf(messages.subList(7, 10));
		assertThat(store().latest("general", null, 1)).containsExactly(messages.get(9));
		assertThat(store().latest("general", null, 10)).containsExactlyElementsOf(messages);
	}

	@Test
	void listsOnlyMessagesStoredBeforeTheGivenInstant() {
		List<ChatMessage> messages = saveInShuffledOrder("general", 10);
		HistoryPosition before = HistoryPosition.before(messages.get(5).createdAt());
		assertThat(store().latest("general", before, 100)).containsExactlyElementsOf(messages.subList(0, 5));
		assertThat(store().latest("general", before, 3)).containsExactlyElementsOf(messages.subList(2, 5));
		assertThat(store().latest("general", HistoryPosition.before(before.createdAt().plusNanos(1000)), 1))
			.containsExactly(messages.get(5));
		assertThat(store().latest("general", HistoryPosition.before(messages.get(0).createdAt()), 10)).isEmpty();
	}

	@Test
	void pagesBackFromMessagesOfTheFirstAndLastInstantsAStoreKeeps() {
		List<ChatMessage> first = List.of(saveAs("first-a", HistoryPosition.EARLIEST),
				saveAs("first-b", HistoryPosition.EARLIEST));
		List<ChatMessage> last = List.of(saveAs("last-a", HistoryPosition.LATEST),
				saveAs("last-b", HistoryPosition.LATEST));

		assertThat(store().latest("general", HistoryPosition.of(first.get(1)), 10)).containsExactly(first.get(0));
		assertThat(store().latest("general", HistoryPosition.of(first.get(0)), 10)).isEmpty();
		assertThat(store().latest("general", HistoryPosition.before(HistoryPosition.EARLIEST), 10)).isEmpty();
		assertThat(store().latest("general", HistoryPosition.of(last.get(1)), 10)).containsExactly(first.get(0),
				first.get(1), last.get(0));
		assertThat(store().latest("general", HistoryPosition.before(HistoryPosition.LATEST), 10))
			.containsExactlyElementsOf(first);
		assertThat(store().latest("general", new HistoryPosition(Instant.MAX, "a"), 10)).hasSize(4);
		assertThat(store().latest("general", new HistoryPosition(Instant.MIN, "z"), 10)).isEmpty();
	}

	private ChatMessage saveAs(String id, Instant createdAt) {
		return store().save(new NewMessage("general", "Ada", "message " + id, null), id, createdAt).message();
	}

	@Test
	void listsEverythingBeforeTheFarFutureAndNothingBeforeTheFarPast() {
		List<ChatMessage> messages = saveInShuffledOrder("general", 3);
		assertThat(store().latest("general", HistoryPosition.before(Instant.MAX), 10))
			.containsExactlyElementsOf(messages);
		assertThat(store().latest("general", new HistoryPosition(Instant.MAX, "zz"), 10))
			.containsExactlyElementsOf(messages);
		assertThat(store().latest("general", HistoryPosition.before(Instant.MIN), 10)).isEmpty();
		assertThat(store().latest("general", new HistoryPosition(Instant.MIN, "00"), 10)).isEmpty();
	}

	@Test
	void pagesBackWithoutGapsOrRepeats() {
		List<ChatMessage> messages = saveInShuffledOrder("general", 23);
		saveInShuffledOrder("random", 5);
		List<ChatMessage> seen = new ArrayList<>();
		HistoryPosition before = null;
		for (int page = 0; page < 10; page++) {
			List<ChatMessage> latest = store().latest("general", before, 5);
			if (latest.isEmpty()) {
				break;
			}
			seen.addAll(0, latest);
			before = HistoryPosition.before(latest.get(0).createdAt());
		}
		assertThat(seen).containsExactlyElementsOf(messages);
	}

	@Test
	void pagesBackFromTheOldestMessageShownThroughMessagesOfTheSameInstant() {
		List<ChatMessage> messages = saveAroundFiveOfTheSameInstant("general");
		saveAroundFiveOfTheSameInstant("random");
		List<ChatMessage> seen = new ArrayList<>();
		List<Integer> pageSizes = new ArrayList<>();
		HistoryPosition before = null;
		for (int page = 0; page < 20; page++) {
			List<ChatMessage> latest = store().latest("general", before, 2);
			if (latest.isEmpty()) {
				break;
			}
			pageSizes.add(latest.size());
			seen.addAll(0, latest);
			before = HistoryPosition.of(latest.get(0));
		}
		assertThat(seen).containsExactlyElementsOf(messages);
		assertThat(pageSizes).containsExactly(2, 2, 2, 2, 2);
	}

	@Test
	void listsOnlyMessagesBeforeTheGivenMessageOfAnInstant() {
		List<ChatMessage> messages = saveAroundFiveOfTheSameInstant("general");
		List<ChatMessage> earlier = messages.subList(0, 3);
		assertThat(store().latest("general", new HistoryPosition(T0, "general-5c"), 100))
			.containsExactlyElementsOf(messages.subList(0, 5));
		assertThat(store().latest("general", new HistoryPosition(T0, "general-5c"), 3))
			.containsExactlyElementsOf(messages.subList(2, 5));
		assertThat(store().latest("general", new HistoryPosition(T0, "general-5cz"), 100))
			.containsExactlyElementsOf(messages.subList(0, 6));
		assertThat(store().latest("general", new HistoryPosition(T0, "general-5a"), 100))
			.containsExactlyElementsOf(earlier);
		assertThat(store().latest("general", new HistoryPosition(T0, "general-0"), 100))
			.containsExactlyElementsOf(earlier);
		assertThat(store().latest("general", new HistoryPosition(T0, "general-zz"), 100))
			.containsExactlyElementsOf(messages.subList(0, 8));
		assertThat(store().latest("general", new HistoryPosition(T0.plusNanos(1000), "general-00"), 100))
			.containsExactlyElementsOf(messages.subList(0, 8));
		assertThat(store().latest("general", new HistoryPosition(messages.get(0).createdAt(), "general-zz"), 100))
			.containsExactly(messages.get(0));
		assertThat(store().latest("general", HistoryPosition.of(messages.get(0)), 100)).isEmpty();
	}

	@Test
	void listsNoMessageOfTheGivenInstantWithoutAnId() {
		List<ChatMessage> messages = saveAroundFiveOfTheSameInstant("general");
		assertThat(store().latest("general", HistoryPosition.before(T0), 100))
			.containsExactlyElementsOf(messages.subList(0, 3));
		assertThat(store().latest("general", HistoryPosition.before(T0), 2))
			.containsExactlyElementsOf(messages.subList(1, 3));
		assertThat(store().latest("general", HistoryPosition.before(T0.plusNanos(1000)), 100))
			.containsExactlyElementsOf(messages.subList(0, 8));
	}

	@Test
	void ordersMessagesOfTheSameInstantById() {
		List<ChatMessage> messages = new ArrayList<>();
		for (String id : List.of("0b", "0a", "1f", "0c")) {
			messages.add(store().save(new NewMessage("general", "Ada", "same instant " + id, null), id, T0).message());
		}
		messages.sort(Comparator.comparing(ChatMessage::id));
		assertThat(store().latest("general", null, 10)).containsExactlyElementsOf(messages);
		assertThat(store().latest("general", null, 2)).containsExactlyElementsOf(messages.subList(2, 4));
	}

	@Test
	void storesEveryMessageWithoutAClientMessageId() {
		NewMessage message = new NewMessage("general", "Ada", "Hello", null);
		Saved first = store().save(message, "n-1", T0);
		Saved second = store().save(message, "n-2", T0);
		assertThat(first.created()).isTrue();
		assertThat(second.created()).isTrue();
		assertThat(store().latest("general", null, 10)).extracting(ChatMessage::id).containsExactly("n-1", "n-2");
	}

	@Test
	void returnsTheFirstMessageForARepeatedClientMessageIdAndStoresNothing() {
		Saved first = store().save(new NewMessage("general", "Ada", "Hello", "c-1"), "r-1", T0);
		Saved again = store().save(new NewMessage("general", "Ada (renamed)", "Hello again", "c-1"), "r-2",
				T0.plusSeconds(5));
		assertThat(first.created()).isTrue();
		assertThat(again).isEqualTo(new Saved(first.message(), false));
		assertThat(store().latest("general", null, 10)).containsExactly(first.message());
	}

	@Test
	void storesTheSameClientMessageIdInAnotherRoomAsAnotherMessage() {
		Saved general = store().save(new NewMessage("general", "Ada", "Hello", "c-1"), "r-1", T0);
		Saved random = store().save(new NewMessage("random", "Ada", "Hello", "c-1"), "r-2", T0);
		assertThat(random.created()).isTrue();
		assertThat(random.message().id()).isEqualTo("r-2");
		assertThat(store().latest("general", null, 10)).containsExactly(general.message());
		assertThat(store().latest("random", null, 10)).containsExactly(random.message());
	}

	@Test
	void storesOneMessageWhenTwentyPostsOfTheSameClientMessageIdRace() throws Exception {
		int posts = 20;
		ExecutorService executor = Executors.newFixedThreadPool(posts);
		try {
			CountDownLatch ready = new CountDownLatch(posts);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Saved>> results = new ArrayList<>();
			for (int i = 0; i < posts; i++) {
				int post = i;
				results.add(executor.submit(() -> {
					ready.countDown();
					go.await();
					return store().save(new NewMessage("general", "Ada", "attempt " + post, "c-race"), "race-" + post,
							T0.plusMillis(post));
				}));
			}
			assertThat(ready.await(30, TimeUnit.SECONDS)).as("all posters ready").isTrue();
			go.countDown();
			List<Saved> saved = new ArrayList<>();
			for (Future<Saved> result : results) {
				saved.add(result.get(60, TimeUnit.SECONDS));
			}
			List<ChatMessage> stored = store().latest("general", null, 100);
			assertThat(stored).hasSize(1);
			assertThat(saved).extracting(Saved::message).containsOnly(stored.get(0));
			assertThat(saved).filteredOn(Saved::created).hasSize(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

}
