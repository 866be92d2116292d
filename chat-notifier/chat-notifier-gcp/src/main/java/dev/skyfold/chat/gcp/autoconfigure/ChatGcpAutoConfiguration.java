package dev.skyfold.chat.gcp.autoconfigure;

import java.util.function.Function;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.chat.gcp.firestore.FirestoreMessageStore;
import dev.skyfold.chat.gcp.functions.BroadcastMessageHandler;
import dev.skyfold.chat.gcp.functions.MessageHistoryHandler;
import dev.skyfold.chat.gcp.functions.PostMessageHandler;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.kernel.access.BearerTokens;
import dev.skyfold.kernel.access.RoleClaims;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the chat's messages in Firestore unless
 * {@code skyfold.chat.gcp.firestore.enabled=false}, and creates the Google functions'
 * handlers over the core's functions, each named after its function with {@code Handler}
 * as the adapter's entry points look them up. Runs before the core's auto-configuration,
 * whose own store then stands back.
 */
@AutoConfiguration(before = ChatNotifierAutoConfiguration.class)
@EnableConfigurationProperties(ChatGcpProperties.class)
public final class ChatGcpAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "skyfold.chat.gcp.firestore.enabled", matchIfMissing = true)
	Firestore chatFirestore(ChatGcpProperties properties) {
		ChatGcpProperties.Firestore firestore = properties.getFirestore();
		FirestoreOptions.Builder options = FirestoreOptions.newBuilder();
		if (firestore.getProjectId() != null && !firestore.getProjectId().isBlank()) {
			options.setProjectId(firestore.getProjectId());
		}
		if (firestore.getEmulatorHost() != null && !firestore.getEmulatorHost().isBlank()) {
			options.setEmulatorHost(firestore.getEmulatorHost());
		}
		return options.build().getService();
	}

	@Bean
	@ConditionalOnMissingBean(MessageStore.class)
	@ConditionalOnBooleanProperty(name = "skyfold.chat.gcp.firestore.enabled", matchIfMissing = true)
	FirestoreMessageStore firestoreMessageStore(Firestore firestore, ChatGcpProperties properties) {
		ChatGcpProperties.Firestore settings = properties.getFirestore();
		return new FirestoreMessageStore(firestore, settings.getRooms(), settings.getTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	PostMessageHandler postMessageHandler(Function<PostMessage, ChatMessage> postMessage, BearerTokens tokens,
			RoleClaims roles) {
		return new PostMessageHandler(postMessage, tokens, roles);
	}

	@Bean
	@ConditionalOnMissingBean
	MessageHistoryHandler messageHistoryHandler(Function<HistoryRequest, MessageHistory> messageHistory,
			BearerTokens tokens, RoleClaims roles) {
		return new MessageHistoryHandler(messageHistory, tokens, roles);
	}

	@Bean
	@ConditionalOnMissingBean
	BroadcastMessageHandler broadcastMessageHandler(Function<ChatMessage, BroadcastResult> broadcastMessage) {
		return new BroadcastMessageHandler(broadcastMessage);
	}

}
