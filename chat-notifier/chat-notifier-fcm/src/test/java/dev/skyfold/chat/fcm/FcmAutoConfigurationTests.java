package dev.skyfold.chat.fcm;

import java.io.IOException;
import java.time.Duration;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.FirebaseMessaging;
import dev.skyfold.chat.application.SubscribeToRoomFunction;
import dev.skyfold.chat.application.UnsubscribeFromRoomFunction;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.port.Broadcaster;
import dev.skyfold.chat.port.RoomSubscriptions;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * When {@link FcmAutoConfiguration} brings the FCM broadcaster into a context, and how
 * its Firebase app lives and dies with that context. Nothing here talks to a server.
 */
class FcmAutoConfigurationTests {

	private static TestServiceAccount account;

	@TempDir
	static Path directory;

	private static Path keyFile;

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FcmAutoConfiguration.class));

	@BeforeAll
	static void writeKeyFile() throws IOException {
		account = TestServiceAccount.create("skyfold-test");
		keyFile = account.writeKeyFile(directory, "http://127.0.0.1:9/token");
	}

	@Test
	void staysOffUnlessEnabled() {
		this.contexts.withPropertyValues("skyfold.chat.fcm.credentials=" + keyFile).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(Broadcaster.class).doesNotHaveBean(FirebaseApp.class);
			assertThat(context.getBeanNamesForType(FirebaseApp.class)).isEmpty();
		});
	}

	@Test
	void registersTheFcmBroadcasterWhenEnabled() {
		enabled().run((context) -> assertThat(context).hasNotFailed()
			.getBean(Broadcaster.class)
			.isInstanceOf(FcmBroadcaster.class)
			.extracting(Broadcaster::name)
			.isEqualTo("fcm"));
	}

	@Test
	void registersTheFcmRoomSubscriptionsWhenEnabledOnly() {
		enabled().run((context) -> assertThat(context).hasNotFailed()
			.getBean(RoomSubscriptions.class)
			.isInstanceOf(FcmRoomSubscriptions.class));
		this.contexts.withPropertyValues("skyfold.chat.fcm.credentials=" + keyFile)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RoomSubscriptions.class));
	}

	@Test
	void bringsTheChatsSubscriptionFunctionsWhenEnabledOnly() {
		ApplicationContextRunner chat = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(FcmAutoConfiguration.class, ChatNotifierAutoConfiguration.class,
					ContextFunctionCatalogAutoConfiguration.class))
			.withPropertyValues("skyfold.chat.fcm.credentials=" + keyFile);
		chat.withPropertyValues("skyfold.chat.fcm.enabled=true").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(SubscribeToRoomFunction.class)
				.hasSingleBean(UnsubscribeFromRoomFunction.class);
			assertThat(context.getBean(FunctionCatalog.class).getNames(null)).contains("subscribeToRoom",
					"unsubscribeFromRoom");
		});
		chat.run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(SubscribeToRoomFunction.class)
				.doesNotHaveBean(UnsubscribeFromRoomFunction.class);
			assertThat(context.getBean(FunctionCatalog.class).getNames(null)).contains("postMessage")
				.doesNotContain("subscribeToRoom", "unsubscribeFromRoom");
		});
	}

	@Test
	void backsOffWhenTheHostBringsItsOwnRoomSubscriptions() {
		RoomSubscriptions own = new RoomSubscriptions() {

			@Override
			public List<TokenOutcome> subscribe(String room, List<String> registrationTokens) {
				return registrationTokens.stream().map(TokenOutcome::accepted).toList();
			}

			@Override
			public List<TokenOutcome> unsubscribe(String room, List<String> registrationTokens) {
				return subscribe(room, registrationTokens);
			}

		};
		enabled().withBean(RoomSubscriptions.class, () -> own).run((context) -> {
			assertThat(context).hasNotFailed().getBean(RoomSubscriptions.class).isSameAs(own);
			assertThat(context).doesNotHaveBean(FcmRoomSubscriptions.class);
		});
	}

	@Test
	void usesTheProjectOfTheServiceAccountUnlessOneIsConfigured() {
		enabled().run((context) -> assertThat(app(context).getOptions().getProjectId()).isNull());
		enabled().withPropertyValues("skyfold.chat.fcm.project-id=other-project")
			.run((context) -> assertThat(app(context).getOptions().getProjectId()).isEqualTo("other-project"));
	}

	@Test
	void appliesTheTimeoutToConnectingAndReadingButNotWriting() {
		enabled().withPropertyValues("skyfold.chat.fcm.timeout=3s").run((context) -> {
			FirebaseApp app = app(context);
			assertThat(app.getOptions().getConnectTimeout()).isEqualTo(3000);
			assertThat(app.getOptions().getReadTimeout()).isEqualTo(3000);
			// The SDK's transport would wait out a write timeout on a refused connection.
			assertThat(app.getOptions().getWriteTimeout()).isZero();
			// A token's request and the send's, each connecting and reading.
			assertThat(context.getBean(FcmBroadcaster.class).longestAttempt()).isEqualTo(Duration.ofSeconds(12));
		});
	}

	@Test
	void sendsThroughTheRedirectingTransport() {
		enabled().withPropertyValues("skyfold.chat.fcm.base-url=http://127.0.0.1:9099")
			.run((context) -> assertThat(app(context).getOptions().getHttpTransport())
				.isInstanceOfSatisfying(FcmHttpTransport.class, (transport) -> {
					assertThat(transport.rewrite("https://fcm.googleapis.com/v1/projects/p/messages:send"))
						.isEqualTo("http://127.0.0.1:9099/v1/projects/p/messages:send");
					assertThat(transport.rewrite(FcmHttpTransport.IID_ORIGIN + "/iid/v1:batchAdd"))
						.isEqualTo("http://127.0.0.1:9099/iid/v1:batchAdd");
				}));
	}

	@Test
	void givesEachContextItsOwnFirebaseAppAndDeletesItOnClose() {
		List<FirebaseApp> apps = new ArrayList<>();
		enabled().run((first) -> {
			FirebaseApp firstApp = app(first);
			apps.add(firstApp);
			enabled().run((second) -> {
				assertThat(second).hasNotFailed();
				apps.add(app(second));
				assertThat(app(second).getName()).isNotEqualTo(firstApp.getName());
				assertThat(FirebaseApp.getApps()).contains(firstApp, app(second));
			});
			assertThat(FirebaseApp.getApps()).contains(firstApp).doesNotContain(apps.get(1));
		});
		assertThat(FirebaseApp.getApps()).doesNotContainAnyElementsOf(apps);
	}

	@Test
	void leavesInjectionByTypeToTheHostsOwnFirebaseApp() {
		enabled().withBean("hostFirebaseApp", FirebaseApp.class, FcmAutoConfigurationTests::hostApp, (definition) -> {
			definition.setDestroyMethodName("delete");
		}).withBean(FirebaseUser.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(FirebaseUser.class).app()).isSameAs(context.getBean("hostFirebaseApp"))
				.isNotSameAs(app(context));
			assertThat(context).getBean(FcmBroadcaster.class).isNotNull();
		});
	}

	@Test
	void failsToStartWhenTheKeyFileIsMissing() {
		Path missing = directory.resolve("missing.json");
		this.contexts.withPropertyValues("skyfold.chat.fcm.enabled=true", "skyfold.chat.fcm.credentials=" + missing)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("missing.json"));
	}

	@Test
	void readsTheCredentialsFromTheKeyFile() {
		enabled().run((context) -> assertThat(context).hasNotFailed()
			.getBean(FcmCredentials.class)
			.extracting(FcmCredentials::googleCredentials)
			.isInstanceOfSatisfying(ServiceAccountCredentials.class,
					(credentials) -> assertThat(credentials.getClientEmail()).isEqualTo(account.clientEmail())));
	}

	@Test
	void takesTheHostsCredentialsWithoutReadingTheKeyFile() throws IOException {
		String key = Files.readString(keyFile);
		FcmCredentials own = FcmCredentials.serviceAccountKey(key, "host key");
		this.contexts
			.withPropertyValues("skyfold.chat.fcm.enabled=true",
					"skyfold.chat.fcm.credentials=" + directory.resolve("missing.json"))
			.withBean(FcmCredentials.class, () -> own)
			.run((context) -> {
				assertThat(context).hasNotFailed().getBean(FcmCredentials.class).isSameAs(own);
				assertThat(context).getBean(FcmBroadcaster.class).isNotNull();
				assertThat(app(context).getOptions().getProjectId()).isNull();
			});
	}

	@Test
	void backsOffWhenTheHostBringsItsOwnFcmBroadcaster() {
		FcmBroadcaster own = new FcmBroadcaster(mock(FirebaseMessaging.class), "Own", 50);
		enabled().withBean(FcmBroadcaster.class, () -> own)
			.run((context) -> assertThat(context).getBean(FcmBroadcaster.class).isSameAs(own));
	}

	private ApplicationContextRunner enabled() {
		return this.contexts.withPropertyValues("skyfold.chat.fcm.enabled=true",
				"skyfold.chat.fcm.credentials=" + keyFile);
	}

	private static FirebaseApp hostApp() {
		try (InputStream in = Files.newInputStream(keyFile)) {
			return FirebaseApp.initializeApp(
					FirebaseOptions.builder().setCredentials(ServiceAccountCredentials.fromStream(in)).build(),
					"host-" + UUID.randomUUID());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static FirebaseApp app(ApplicationContext context) {
		return context.getBean(FcmAutoConfiguration.APP, FirebaseApp.class);
	}

	/**
	 * A host bean that wants a Firebase app by type.
	 *
	 * @param app the app it got
	 */
	record FirebaseUser(FirebaseApp app) {
	}

}
