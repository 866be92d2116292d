package dev.skyfold.chat.application;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import dev.skyfold.chat.adapter.inmemory.InMemoryMessageStore;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Reading history, as {@code messageHistory} does: a room's latest messages, oldest
 * first, paged back with {@code before}, or with {@code before} and {@code beforeId}.
 */
class ChatServiceHistoryTests {

	private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

	private final InMemoryMessageStore store = new InMemoryMessageStore();

	/** Reading history broadcasts nothing. */
	private final BroadcastService broadcasts = new BroadcastService(List.of(), BroadcastService.Backoff.defaults(),
			new SimpleMeterRegistry());

	private final ChatService chat = new ChatService(this.store, this.broadcasts, 50);

	/**
	 * Stores messages one second apart, in a shuffled order so that the history has to
	 * sort them.
	 * @param room the room
	 * @param count how many
	 * @return the messages, oldest first
	 */
	private List<ChatMessage> post(String room, int count) {
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			order.add(i);
		}
		Collections.shuffle(order, new Random(count));
		ChatMessage[] messages = new ChatMessage[count];
		for (int i : order) {
			messages[i] = this.store
				.save(new NewMessage(room, "Ada", "message " + i, null), room + "-" + i, START.plusSeconds(i))
				.message();
		}
		return List.of(messages);
	}

	@Test
	void listsTheLatestMessagesOldestFirst() {
		List<ChatMessage> messages = post("general", 5);
		MessageHistory page = this.chat.history(new HistoryRequest("general"));
		assertThat(page.room()).isEqualTo("general");
		assertThat(page.messages()).containsExactlyElementsOf(messages);
	}

	@Test
	void returnsTheDefaultLimitWhenNoneIsGiven() {
		List<ChatMessage> messages = post("general", 60);
		assertThat(this.chat.history(new HistoryRequest("general")).messages())
			.containsExactlyElementsOf(messages.subList(10, 60));
		assertThat(new ChatService(this.store, this.broadcasts, 3).history(new HistoryRequest("general")).messages())
			.containsExactlyElementsOf(messages.subList(57, 60));
	}

	@Test
	void returnsOnlyTheLatestMessageWithLimitOne() {
		List<ChatMessage> messages = post("general", 5);
		assertThat(this.chat.history(new HistoryRequest("general", null, 1)).messages())
			.containsExactly(messages.get(4));
	}

	@Test
	void returns200MessagesWithLimit200() {
		List<ChatMessage> messages = post("general", 250);
		assertThat(this.chat.history(new HistoryRequest("general", null, 200)).messages())
			.containsExactlyElementsOf(messages.subList(50, 250));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, -1, 201, Integer.MAX_VALUE, Integer.MIN_VALUE })
	void rejectsLimitsOutsideOneTo200(int limit) {
		post("general", 2);
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> this.chat.history(new HistoryRequest("general", null, limit)))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessageContaining("limit")
			.withMessageContaining(Integer.toString(limit));
	}

	@Test
	void listsOnlyMessagesStoredBeforeTheGivenInstant() {
		List<ChatMessage> messages = post("general", 5);
		assertThat(this.chat.history(new HistoryRequest("general", messages.get(3).createdAt(), null)).messages())
			.containsExactlyElementsOf(messages.subList(0, 3));
		assertThat(this.chat.history(new HistoryRequest("general", messages.get(3).createdAt(), 2)).messages())
			.containsExactlyElementsOf(messages.subList(1, 3));
	}

	@Test
	void pagesBackWithoutGapsOrRepeats() {
		List<ChatMessage> messages = post("general", 47);
		post("random", 20);
		List<ChatMessage> seen = new ArrayList<>();
		Instant before = null;
		int pages = 0;
		while (pages++ < 100) {
			List<ChatMessage> page = this.chat.history(new HistoryRequest("general", before, 10)).messages();
			if (page.isEmpty()) {
				break;
			}
			assertThat(page).hasSizeLessThanOrEqualTo(10);
			seen.addAll(0, page);
			before = page.get(0).createdAt();
		}
		assertThat(pages).isEqualTo(6);
		assertThat(seen).containsExactlyElementsOf(messages);
	}

	@Test
	void pagesBackFromTheOldestMessageThroughMessagesOfTheSameInstant() {
		List<ChatMessage> messages = new ArrayList<>(post("general", 3));
		for (String id : List.of("same-4", "same-2", "same-0", "same-3", "same-1")) {
			messages
				.add(this.store.save(new NewMessage("general", "Ada", id, null), id, START.plusSeconds(10)).message());
		}
		messages.add(this.store.save(new NewMessage("general", "Ada", "last", null), "last", START.plusSeconds(11))
			.message());
		messages.sort(Comparator.comparing(ChatMessage::createdAt).thenComparing(ChatMessage::id));
		List<ChatMessage> seen = new ArrayList<>();
		HistoryRequest request = new HistoryRequest("general", null, 2);
		for (int pages = 0; pages < 10; pages++) {
			List<ChatMessage> page = this.chat.history(request).messages();
			if (page.isEmpty()) {
				break;
			}
			seen.addAll(0, page);
			request = new HistoryRequest("general", page.get(0).createdAt(), page.get(0).id(), 2);
		}
		assertThat(seen).containsExactlyElementsOf(messages);
	}

	@Test
	void rejectsBeforeIdWithoutBefore() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> this.chat.history(new HistoryRequest("general", null, "general-1", 10)))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessageContaining("'beforeId' needs 'before'");
	}

	@Test
	void answersAnEmptyHistoryForARoomNobodyWroteIn() {
		post("general", 3);
		assertThat(this.chat.history(new HistoryRequest("empty-room")))
			.isEqualTo(new MessageHistory("empty-room", List.of()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "General", "no room", "room_1" })
	void rejectsInvalidRooms(String room) {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> this.chat.history(new HistoryRequest(room)))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
	}

	@Test
	void rejectsAMissingRoom() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> this.chat.history(new HistoryRequest(null, null, 10)))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 201 })
	void refusesADefaultLimitOutsideOneTo200(int defaultLimit) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ChatService(this.store, this.broadcasts, defaultLimit))
			.withMessageContaining("200");
	}

}
