package dev.skyfold.local.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.security.SelfIssuedTokens;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.Filter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The chat's warm-up at start ({@link ChatWarmUp}), unless
 * {@code skyfold.local.warm-up.enabled} is {@code false}; it needs a transactional store
 * (the embedded H2 file or PostgreSQL), which the local app always has.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "skyfold.local.warm-up.enabled", matchIfMissing = true)
class ChatWarmUpConfiguration {

	@Bean
	ChatWarmUp chatWarmUp(MessageStore store, PlatformTransactionManager transactions, ObjectProvider<DataSource> data,
			@Value("${spring.datasource.url:}") String storeUrl, RoomHub hub, RoomStreams streams, JsonMapper json,
			ObjectProvider<LoggingSystem> logging, ApplicationAvailability availability, LocalProperties properties,
			ApplicationContext context, ObjectProvider<ServerProperties> server,
			ObjectProvider<SelfIssuedTokens> tokens,
			@Value("${spring.cloud.function.web.path:}") String functionsPath) {
		DataSource dataSource = data.getIfAvailable();
		// The embedded H2 store writes its file on every commit; CHECKPOINT does that
		// without one. Other databases are left alone.
		Runnable checkpoint = (dataSource != null && storeUrl.startsWith("jdbc:h2:"))
				? () -> JdbcClient.create(dataSource).sql("CHECKPOINT").update() : () -> {
				};
		return new ChatWarmUp(store, new TransactionTemplate(transactions), checkpoint, hub, streams, json,
				logging.getIfAvailable(), availability, properties.warmUp().rounds(), () -> LoopbackTraffic
					.open(context, server.getIfAvailable(), tokens.getIfAvailable(), functionsPath, ChatWarmUp.AUTHOR));
	}

	/**
	 * Serves the warm-up's own loopback requests with the app's observations off; first
	 * of all filters, so that even the request's own timer and span are never started.
	 */
	@Bean
	FilterRegistrationBean<Filter> chatWarmUpRequests() {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(ChatWarmUp::serve);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.setAsyncSupported(true);
		return registration;
	}

	/** No timers, counters or spans for what the warm-up does. */
	@Bean
	ObservationPredicate chatWarmUpObservations() {
		return (name, context) -> !ChatWarmUp.inProgress();
	}

	/** {@code chatWarmUp} in {@code /actuator/info}: what the warm-up at start did. */
	@Bean
	InfoContributor chatWarmUpInfo(ChatWarmUp warmUp) {
		return (info) -> {
			ChatWarmUp.Result result = warmUp.first();
			if (result != null) {
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("posted", result.posted());
				details.put("streams", result.streams());
				details.put("streamed", result.streamed());
				details.put("loopbackStreams", result.loopbackStreams());
				details.put("loopbackRequests", result.loopbackRequests());
				details.put("tookMs", result.took().toMillis());
				details.put("readiness", result.readiness());
				details.put("outcome", result.outcome());
				info.withDetail("chatWarmUp", details);
			}
		};
	}

}
