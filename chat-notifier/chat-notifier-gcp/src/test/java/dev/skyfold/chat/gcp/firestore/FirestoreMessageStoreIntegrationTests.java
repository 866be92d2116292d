package dev.skyfold.chat.gcp.firestore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.DeadlineExceededException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.chat.port.MessageStore.Saved;
import dev.skyfold.chat.port.MessageStoreContract;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.testsupport.loopback.FirestoreEmulatorServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The Firestore store keeps the {@link MessageStore} contract against the Google Cloud
 * CLI's Firestore emulator, emptied before each test; it lays out its documents as
 * {@link MessageDocuments} describes, creates each message's document once however many
 * repeats race, and fails as the Firestore client does when Firestore is down or slow.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FirestoreMessageStoreIntegrationTests extends MessageStoreContract {

	@RegisterExtension
	static final FirestoreEmulatorServer emulator = new FirestoreEmulatorServer();

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static @Nullable Firestore client;

	@BeforeAll
	static void connect() {
		client = connect(emulator.hostPort());
	}

	@AfterAll
	static void disconnect() throws Exception {
		if (client != null) {
			client.close();
		}
	}

	@Override
	protected MessageStore createEmptyStore() {
		emulator.clear();
		return new FirestoreMessageStore(firestore(), MessageDocuments.DEFAULT_ROOMS, TIMEOUT);
	}

	@Test
	void storesOneDocumentPerMessageAsTheEventReaderReadsIt() throws Exception {
		ChatMessage withClientId = store().save(new NewMessage("general", "Ada", "Hi", "c/1%"), "id-1", T0).message();
		ChatMessage withoutClientId = store()
			.save(new NewMessage("general", "Ada", "Again", null), "id/2", T0.plusSeconds(1))
			.message();

		List<QueryDocumentSnapshot> documents = documents("general");

		assertThat(documents).extracting(QueryDocumentSnapshot::getId).containsExactly("c_c%2F1%25", "m_id%2F2");
		QueryDocumentSnapshot first = documents.get(0);
		assertThat(first.getReference().getPath()).isEqualTo("rooms/general/messages/c_c%2F1%25");
		assertThat(first.getData())
			.containsOnlyKeys("id", "room", "author", "text", "createdAt", "clientMessageId", "timeKey")
			.containsEntry("createdAt", "2026-03-01T12:34:56.123456Z")
			.containsEntry("clientMessageId", "c/1%")
			.containsEntry("timeKey", "2026-03-01T12:34:56.123456000Z#id-1");
		assertThat(MessageDocuments.message(first::getString)).isEqualTo(withClientId);
		QueryDocumentSnapshot second = documents.get(1);
		assertThat(second.getData()).doesNotContainKey("clientMessageId");
		assertThat(MessageDocuments.message(second::getString)).isEqualTo(withoutClientId);
		assertThat(MessageDocuments.pathPattern(MessageDocuments.DEFAULT_ROOMS))
			.isEqualTo("rooms/{room}/messages/{message}");
	}

	@Test
	void createsTheDocumentOfARepeatedClientMessageIdOnceWhileSixteenRepeatsRace() throws Exception {
		int posts = 16;
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

			List<QueryDocumentSnapshot> documents = documents("general");
			assertThat(documents).singleElement().satisfies((document) -> {
				assertThat(document.getId()).isEqualTo("c_c-race");
				// Written once: never replaced by a later repeat.
				assertThat(document.getUpdateTime()).isEqualTo(document.getCreateTime());
			});
			ChatMessage stored = MessageDocuments.message(documents.get(0)::getString);
			assertThat(saved).filteredOn(Saved::created).singleElement().isEqualTo(new Saved(stored, true));
			assertThat(saved).extracting(Saved::message).containsOnly(stored);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void reportsARepeatedWriteOfTheSameMessageStoredAndRefusesAnotherMessageUnderItsId() throws Exception {
		NewMessage message = new NewMessage("general", "Ada", "Hi", null);
		Saved first = store().save(message, "n-1", T0);

		Saved again = store().save(message, "n-1", T0);

		assertThat(again).isEqualTo(new Saved(first.message(), false));
		assertThatIllegalStateException()
			.isThrownBy(() -> store().save(new NewMessage("general", "Ada", "Other", null), "n-1", T0))
			.withMessage("Room general holds a message with id n-1 already; message ids must be unique");
		assertThat(documents("general")).singleElement()
			.satisfies((document) -> assertThat(document.getUpdateTime()).isEqualTo(document.getCreateTime()));
	}

	@Test
	void rejectsWhatItCannotKeepAndStoresNothing() throws Exception {
		NewMessage message = new NewMessage("general", "Ada", "Hi", "c-1");
		assertThatIllegalArgumentException().isThrownBy(() -> store().save(message, "", T0));
		assertThatIllegalArgumentException().isThrownBy(() -> store().save(message, "x".repeat(129), T0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store().save(message, "id-1", HistoryPosition.EARLIEST.minusNanos(1)))
			.withMessageContaining("from year 0 to 9999");
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> store().save(new NewMessage("general/messages/x", "Ada", "Hi", null), "id-1", T0));
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> store().latest("general/messages/x", null, 10));
		assertThat(documents("general")).isEmpty();
		assertThat(firestore().listCollections()).isEmpty();
	}

	@Test
	void readsTwoHundredOfTheLongestMessagesInOneCall() {
		String text = ROCKET.repeat(NewMessage.MAX_TEXT);
		for (int i = 0; i < 200; i++) {
			store().save(new NewMessage("general", "Ada", text, null), String.format("id-%03d", i), T0.plusMillis(i));
		}

		List<ChatMessage> latest = store().latest("general", null, 200);

		assertThat(latest).hasSize(200).extracting(ChatMessage::id).first().isEqualTo("id-000");
		assertThat(latest).extracting(ChatMessage::id).last().isEqualTo("id-199");
		assertThat(latest).allSatisfy((message) -> assertThat(message.text()).isEqualTo(text));
		assertThat(store().latest("general", HistoryPosition.before(T0.plusMillis(199)), 198))
			.extracting(ChatMessage::id)
			.first()
			.isEqualTo("id-001");
	}

	@Test
	void answersNothingForALimitBelowOne() {
		save("general", "hello", T0);

		assertThat(store().latest("general", null, 0)).isEmpty();
	}

	@Test
	void failsWithTheClientsRetryableUnavailableWhileFirestoreIsDown() throws Exception {
		try (Firestore own = connect(emulator.hostPort())) {
			MessageStore store = new FirestoreMessageStore(own, MessageDocuments.DEFAULT_ROOMS, TIMEOUT);
			store.save(new NewMessage("general", "Ada", "before", null), "id-1", T0);
			emulator.stopProcess();
			try {
				long start = System.nanoTime();
				assertThatExceptionOfType(ApiException.class)
					.isThrownBy(() -> store.save(new NewMessage("general", "Ada", "during", "c-1"), "id-2", T0))
					.satisfies((ex) -> {
						assertThat(ex.getStatusCode().getCode()).isEqualTo(StatusCode.Code.UNAVAILABLE);
						assertThat(ex.isRetryable()).isTrue();
					});
				assertThatExceptionOfType(ApiException.class).isThrownBy(() -> store.latest("general", null, 10))
					.satisfies((ex) -> assertThat(ex.getStatusCode().getCode()).isEqualTo(StatusCode.Code.UNAVAILABLE));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
			}
			finally {
				emulator.restartProcess();
			}
		}
	}

	@Test
	void abandonsACallThatOutlastsTheTimeout() throws Exception {
		// Accepts connections and never answers.
		List<Socket> accepted = new CopyOnWriteArrayList<>();
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread acceptor = new Thread(() -> {
				while (!silent.isClosed()) {
					try {
						accepted.add(silent.accept());
					}
					catch (IOException ex) {
						return;
					}
				}
			}, "silent-firestore");
			acceptor.setDaemon(true);
			acceptor.start();
			Firestore own = connect("127.0.0.1:" + silent.getLocalPort());
			try {
				MessageStore store = new FirestoreMessageStore(own, MessageDocuments.DEFAULT_ROOMS,
						Duration.ofMillis(500));
				long start = System.nanoTime();
				assertThatExceptionOfType(DeadlineExceededException.class)
					.isThrownBy(() -> store.save(new NewMessage("general", "Ada", "Hi", "c-1"), "id-1", T0))
					.withMessage("Firestore did not store a message within PT0.5S")
					.satisfies((ex) -> assertThat(ex.isRetryable()).isTrue());
				assertThatExceptionOfType(DeadlineExceededException.class)
					.isThrownBy(() -> store.latest("general", null, 10))
					.withMessage("Firestore did not read a room's history within PT0.5S");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
			}
			finally {
				// close() waits for the channel to terminate, which its connection to a
				// server that never answers holds up.
				own.shutdownNow();
				for (Socket socket : accepted) {
					socket.close();
				}
			}
		}
	}

	private static Firestore connect(String hostPort) {
		// No credentials: the client sends the emulator's own when given an emulator
		// host.
		return FirestoreOptions.newBuilder()
			.setEmulatorHost(hostPort)
			.setProjectId(FirestoreEmulatorServer.PROJECT_ID)
			.build()
			.getService();
	}

	private static Firestore firestore() {
		assertThat(client).as("client").isNotNull();
		return client;
	}

	private static List<QueryDocumentSnapshot> documents(String room) throws Exception {
		CollectionReference messages = firestore().collection(MessageDocuments.DEFAULT_ROOMS)
			.document(room)
			.collection(MessageDocuments.MESSAGES);
		return messages.get().get(30, TimeUnit.SECONDS).getDocuments();
	}

}
