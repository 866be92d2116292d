package dev.skyfold.local.observability;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;

import dev.skyfold.chat.port.Broadcaster;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.imageresizer.port.BlobStore;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Observes each call a function makes to a dependency: the chat's store, each push
 * broadcaster and the bucket. Each call is a child span of the invocation's (named
 * {@code chat-store save}, {@code broadcast-fcm broadcast}, {@code blob-store write}...),
 * so a trace shows where a slow post or upload spent its time, and a {@value #NAME} timer
 * tagged {@code dependency}, {@code operation} and {@code error}. The cores stay free of
 * it: the app wraps their ports.
 */
@Configuration(proxyBeanMethods = false)
public class DependencyObservations {

	/** The observation's name, and its timer's. */
	public static final String NAME = "skyfold.dependency";

	/** A port's methods that describe it rather than call the dependency. */
	private static final Set<String> DESCRIPTIVE = Set.of("name", "longestAttempt", "toString", "hashCode", "equals");

	@Bean
	static BeanPostProcessor dependencyObservationWrapper(ObjectProvider<ObservationRegistry> registry) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof MessageStore) {
					return observed(bean, MessageStore.class, "chat-store", registry);
				}
				if (bean instanceof Broadcaster broadcaster) {
					return observed(bean, Broadcaster.class, "broadcast-" + broadcaster.name(), registry);
				}
				if (bean instanceof BlobStore) {
					return observed(bean, BlobStore.class, "blob-store", registry);
				}
				return bean;
			}

		};
	}

	private static <T> T observed(Object target, Class<T> port, String dependency,
			ObjectProvider<ObservationRegistry> registry) {
		InvocationHandler handler = (proxy, method, args) -> {
			if (DESCRIPTIVE.contains(method.getName())) {
				return call(target, method, args);
			}
			return Observation.createNotStarted(NAME, () -> new Observation.Context(), registry.getObject())
				.contextualName(dependency + " " + method.getName())
				.lowCardinalityKeyValue("dependency", dependency)
				.lowCardinalityKeyValue("operation", method.getName())
				.observeChecked(() -> call(target, method, args));
		};
		return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] { port }, handler));
	}

	private static Object call(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
